from __future__ import annotations

from pathlib import Path

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
