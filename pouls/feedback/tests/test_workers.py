from __future__ import annotations

from pathlib import Path

import pytest

from pouls.feedback.importers.mapping import load_mapping, resolve
from pouls.feedback.importers.prepare import Prepared, make_context, prepare_chunk
from pouls.feedback.importers.readers import open_table
from pouls.feedback.importers.workers import chunk_preparer
from pouls.testing import Personas

DATA = Path(__file__).parent / "data"


def _comparable(prepared: Prepared) -> tuple[object, ...]:
    # Codes are drawn fresh for each row; everything else must be identical.
    candidates = [
        (c.number, c.key, c.contact, {k: v for k, v in c.values.items() if k != "code"})
        for c in prepared.candidates
    ]
    rejects = [(r.number, r.raw, r.reasons) for r in prepared.rejects]
    return prepared.size, candidates, rejects


def test_worker_processes_prepare_chunks_like_this_process(personas: Personas) -> None:
    table = open_table(DATA / "messy_fr.csv")
    rows = list(table.rows)
    context = make_context(resolve(load_mapping(None), table.header), personas.nord, None)
    chunks = [rows[:5], rows[5:], []]
    with chunk_preparer(context, parallel=True, workers=2) as prepare:
        futures = [prepare(chunk) for chunk in chunks]
        in_workers = [f.result(timeout=300) for f in futures]
    alone = [prepare_chunk(context, chunk) for chunk in chunks]
    assert [_comparable(p) for p in in_workers] == [_comparable(p) for p in alone]
    texts = " ".join(c.values["text"] for p in in_workers for c in p.candidates)
    assert "06 12 34 56 78" not in texts and "[TÉLÉPHONE]" in texts
    assert sum(len(p.rejects) for p in in_workers) == 8


def test_small_files_are_prepared_in_process(personas: Personas) -> None:
    table = open_table(DATA / "messy_fr.csv")
    rows = list(table.rows)
    context = make_context(resolve(load_mapping(None), table.header), personas.nord, None)
    with chunk_preparer(context, parallel=False) as prepare:
        future = prepare(rows)
        assert future.done()
        assert _comparable(future.result()) == _comparable(prepare_chunk(context, rows))


def test_an_import_through_the_workers_stores_what_it_would_alone(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pouls.feedback.importers import pipeline
    from pouls.feedback.importers.pipeline import do_import_feedback
    from pouls.feedback.models import Feedback, QuarantinedRow

    def stored() -> tuple[object, ...]:
        rows = Feedback.objects.order_by("source_id").values_list("source_id", "text", "nps")
        quarantined = QuarantinedRow.objects.order_by("row_number")
        return list(rows), list(quarantined.values_list("row_number", "raw", "reasons"))

    alone = do_import_feedback(DATA / "messy_fr.csv", root=personas.nord)
    expected = stored()
    Feedback.objects.all().delete()
    QuarantinedRow.objects.all().delete()
    # Every file "big", chunks of 2 rows, 2 chunks per transaction: all the paths of a
    # million-row import on a 12-row file.
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(pipeline, "CHUNK", 2)
    monkeypatch.setattr(pipeline, "CHUNKS_PER_COMMIT", 2)
    seen: list[int] = []
    parallel = do_import_feedback(DATA / "messy_fr.csv", root=personas.nord, progress=seen.append)
    counts = (parallel.read, parallel.accepted, parallel.quarantined, parallel.duplicates)
    assert counts == (alone.read, alone.accepted, alone.quarantined, alone.duplicates)
    assert stored() == expected
    assert seen == sorted(seen) and seen[-1] == 12 and len(seen) > 1
