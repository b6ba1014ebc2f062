"""Pseudonymisation of an import's texts, overlapped with the rest of the import.

On a big file, worker processes (one per core) mask the next chunks while this one validates
and stores the current one, so that every core works (benchmarks/imports.py measures the
whole import): masking costs about as much CPU as everything else together, and this process
also waits on the database's writes. The workers run only the framework-free pseudonymiser
(no Django, no database connection); small files are masked in this process, where starting
workers would cost more than it saves.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from pouls.feedback import privacy

PARALLEL_MIN_BYTES = 4 * 1024 * 1024
#: Masking processes for a big file: one per core the import may use, at least one.
WORKERS = max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
Mask = Callable[[list[str]], Future[list[str]]]


@functools.cache
def _worker_pseudonymiser() -> object:
    from pouls_analysis.privacy import Pseudonymiser

    return Pseudonymiser()


def _mask_in_worker(texts: list[str]) -> list[str]:
    return list(_worker_pseudonymiser().transform(texts))  # type: ignore[attr-defined]


def _done(texts: list[str]) -> Future[list[str]]:
    future: Future[list[str]] = Future()
    future.set_result(privacy.pseudonymise(texts))
    return future


@contextlib.contextmanager
def text_masker(*, parallel: bool, workers: int = WORKERS) -> Iterator[Mask]:
    """Yield a function that returns a future of the masked texts (in ``workers`` processes
    when ``parallel``, else in this one)."""
    if not parallel:
        yield _done
        return
    # spawn: a fresh interpreter, with nothing of this process's Django state or sockets.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:

        def submit(texts: list[str]) -> Future[list[str]]:
            return pool.submit(_mask_in_worker, texts) if texts else _done(texts)

        yield submit
