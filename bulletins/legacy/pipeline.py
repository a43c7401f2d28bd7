"""Preparing dumps in worker processes and streaming the results back, in order, with bounded
memory. See bulletins.legacy.importer for the design this is part of."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from itertools import islice

from .files import DumpJob
from .prepare import PreparedBulletin, RejectedDump, prepare_job

# Jobs are handed to the pool a window at a time, and at most two windows are in flight, so the
# results waiting for the writer never exceed 2 × WINDOW records, however large the archive.
WINDOW = 512
CHUNKSIZE = 16  # jobs per message to a worker: amortises pickling without starving anyone


def _windows(jobs: Iterable[DumpJob], size: int) -> Iterator[list[DumpJob]]:
    iterator = iter(jobs)
    while window := list(islice(iterator, size)):
        yield window


def _context() -> multiprocessing.context.BaseContext:
    # Workers run only bulletins.legacy.prepare (pure Python, no Django, no database), so a
    # forked copy of the parent is safe and starts at once; elsewhere they are spawned.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def prepare_all(
    jobs: Iterable[DumpJob], workers: int = 1
) -> Iterator[PreparedBulletin | RejectedDump]:
    """prepare_job over the jobs, in their order; in `workers` processes when more than one."""
    if workers <= 1:
        yield from map(prepare_job, jobs)
        return
    with _context().Pool(workers) as pool:
        pending: Iterator[PreparedBulletin | RejectedDump] | None = None
        for window in _windows(jobs, WINDOW):
            # Queue this window before draining the previous one: workers keep parsing while
            # the writer is busy with what they sent earlier.
            queued = pool.imap(prepare_job, window, chunksize=CHUNKSIZE)
            if pending is not None:
                yield from pending
            pending = queued
        if pending is not None:
            yield from pending
