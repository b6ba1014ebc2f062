from __future__ import annotations

from pouls.feedback import privacy
from pouls.feedback.importers.masking import text_masker

TEXTS = [
    "Appelez-moi au 06 12 34 56 78, merci.",
    "Écrivez à jeanne.roux@example.com pour le remboursement.",
    "Rien à signaler, accueil parfait.",
]


def test_the_worker_processes_mask_like_this_process() -> None:
    with text_masker(parallel=True, workers=2) as mask:
        futures = [mask(TEXTS), mask([]), mask(TEXTS[:1])]
        results = [f.result(timeout=120) for f in futures]
    assert results == [privacy.pseudonymise(TEXTS), [], privacy.pseudonymise(TEXTS[:1])]
    assert "06 12 34 56 78" not in results[0][0]


def test_small_files_are_masked_in_process() -> None:
    with text_masker(parallel=False) as mask:
        assert mask(TEXTS).result() == privacy.pseudonymise(TEXTS)
