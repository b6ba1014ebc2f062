"""Preparing an import's chunks in worker processes, so that every core works.

On a big file the importing process only reads rows, removes duplicates and writes to the
database; validation, the keyed hashes and pseudonymisation (most of the CPU time, profiled)
run in one worker process per core, a few chunks ahead. Results come back in file order, so
the import stores exactly what it would store alone. Small files are prepared in this
process, where starting workers (each loads the French model once) would cost more than it
saves. ``benchmarks/imports.py`` measures the whole import.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from pouls.feedback.importers.readers import RawRow

if TYPE_CHECKING:  # imported at run time only once Django is set up (a worker starts bare)
    from pouls.feedback.importers.prepare import Context, Prepared

PARALLEL_MIN_BYTES = 4 * 1024 * 1024
#: Worker processes for a big file: one per core the import may use.
WORKERS = max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)

Prepare = Callable[[list[RawRow]], "Future[Prepared]"]

_context: Any = None  # in a worker: the Context its rows are checked against


def _start_worker(context: bytes) -> None:
    # spawn gives a fresh interpreter: set Django up (settings and models, never the
    # database) before unpickling the context, which holds model instances.
    import django
    from django.apps import apps

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pouls.settings")
    if not apps.ready:
        django.setup()
    global _context
    _context = pickle.loads(context)  # noqa: S301 - bytes this import pickled a moment ago


def _prepare_in_worker(chunk: list[RawRow]) -> Prepared:
    from pouls.feedback.importers.prepare import prepare_chunk

    assert _context is not None, "worker started without its context"
    return prepare_chunk(_context, chunk)


def _done(context: Context, chunk: list[RawRow]) -> Future[Prepared]:
    from pouls.feedback.importers.prepare import prepare_chunk

    future: Future[Prepared] = Future()
    future.set_result(prepare_chunk(context, chunk))
    return future


@contextlib.contextmanager
def chunk_preparer(
    context: Context, *, parallel: bool, workers: int = WORKERS
) -> Iterator[Prepare]:
    """Yield a function that returns a future of a chunk's ``Prepared`` rows (computed by
    ``workers`` processes when ``parallel``, else at once in this one)."""
    if not parallel:
        yield lambda chunk: _done(context, chunk)
        return
    # spawn, not fork: nothing of this process's database connections or threads is shared.
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(pickle.dumps(context),),
    ) as pool:
        yield lambda chunk: pool.submit(_prepare_in_worker, chunk)
