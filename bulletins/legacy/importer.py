"""Importing a legacy PublishingPortal archive: the run, from files on disk to indexed pages.

Design
------
An archive is tens of thousands of small text files. The work per file splits in two:

1. **Prepare** (bulletins.legacy.prepare): read, decode, parse, validate, find the cited
   documents, checksum. CPU-bound, pure Python, no database. With `--workers N` it runs in N
   worker processes (bulletins.legacy.pipeline): the archive is walked lazily in sorted order,
   handed to `Pool.imap` a window at a time with a chunksize, and the results come back *in
   order*, at most two windows ahead of the writer, so memory stays flat for any archive size.
2. **Write** (bulletins.legacy.writer): one writer, in this process, in batches of
   BATCH_SIZE (one transaction each, one savepoint per bulletin).

Why a single writer: every new page is a child of the same category, and treebeard gives each
child the path after its last sibling. Concurrent `add_child` calls under one parent serialise
on the parent row (treebeard locks it with SELECT ... FOR UPDATE on PostgreSQL; SQLite locks the
whole database), so parallel writers would only queue and, holding that lock for a batch
transaction, queue for long. One writer fed by parallel parsers keeps the tree correct on both
databases, keeps pages in archive order (the same tree for any number of workers), and spends
its time on inserts only. The write path is lean (no second save, no per-page signals or
indexing: see the writer), which is where the speed comes from.

Indexing: per-save search and reference indexing are paused for the whole run
(bulletins.legacy.indexing) and each committed batch is sent to the search backends in one
`add_bulk` call, so an interrupted import leaves no committed page unindexed.

A file that fails (unreadable, unparsable, refused by the database) is reported with its path,
line and reason and leaves nothing behind; the run goes on.

After a run that wrote pages, SQLite's planner statistics are refreshed
(portal.planner_statistics): without them, queries over the page tree of a large archive pick
slow plans.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from bulletins.models import BulletinIndexPage
from portal.planner_statistics import refresh_planner_statistics

from .files import find_dumps
from .indexing import import_paused_indexing
from .pipeline import prepare_all
from .prepare import PreparedBulletin, RejectedDump
from .progress import Progress
from .writer import BulletinWriter, Outcome, Status

BATCH_SIZE = 100
DUPLICATE_REASON = (
    "cùng đường dẫn với một tệp khác trong lần nhập này (hai thư mục gốc chứa tệp trùng tên)."
)


@dataclass
class ImportReport:
    counts: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(Status, 0))
    redirects_created: int = 0
    redirects_updated: int = 0
    redirects_kept: int = 0
    seconds_writing: float = 0.0
    seconds_indexing: float = 0.0
    unmatched_url_map: list[str] = field(default_factory=list)  # mapped dumps not in the archive

    @property
    def failed(self) -> int:
        return self.counts[Status.FAILED]

    def summary(self) -> str:
        c = self.counts
        return (
            f"{c[Status.IMPORTED]} imported, {c[Status.UPDATED]} updated, "
            f"{c[Status.UNCHANGED]} unchanged, {c[Status.FAILED]} failed"
        )


def _batches(
    items: Iterable[PreparedBulletin | RejectedDump], size: int
) -> Iterator[list[PreparedBulletin | RejectedDump]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def failure_line(outcome: Outcome | RejectedDump) -> str:
    if isinstance(outcome, RejectedDump):
        return f"LỖI {outcome}"
    return f"LỖI {outcome.legacy_id}: {outcome.reason}"


def run_import(
    paths: Iterable[Path],
    parent: BulletinIndexPage,
    *,
    old_paths: dict[str, str] | None = None,
    workers: int = 1,
    dry_run: bool = False,
    overwrite_edited: bool = False,
    root: Path | None = None,
    progress: Progress | None = None,
    on_failure: Callable[[str], None] = lambda line: None,
) -> ImportReport:
    """Import every dump under `paths` into `parent`; see the module docstring."""
    report = ImportReport()
    writer = BulletinWriter(parent, old_paths, dry_run=dry_run, overwrite_edited=overwrite_edited)
    seen: set[str] = set()  # legacy ids of this run: two roots may hold the same relative path

    def accept(item: PreparedBulletin | RejectedDump) -> bool:
        duplicate = item.legacy_id in seen
        seen.add(item.legacy_id)
        if duplicate:
            item = RejectedDump(item.legacy_id, None, DUPLICATE_REASON)
        if isinstance(item, RejectedDump):
            report.counts[Status.FAILED] += 1
            on_failure(failure_line(item))
            return False
        return True

    with import_paused_indexing():
        for batch in _batches(prepare_all(find_dumps(paths, root), workers), BATCH_SIZE):
            for outcome in writer.write([item for item in batch if accept(item)]):
                report.counts[outcome.status] += 1
                if outcome.status is Status.FAILED:
                    on_failure(failure_line(outcome))
            if progress:
                progress.advance(len(batch))
    report.unmatched_url_map = sorted(set(old_paths or ()) - seen)
    report.redirects_created = writer.redirects_created
    report.redirects_updated = writer.redirects_updated
    report.redirects_kept = writer.redirects_kept
    report.seconds_writing = writer.seconds_writing
    report.seconds_indexing = writer.seconds_indexing
    if not dry_run and (report.counts[Status.IMPORTED] or report.counts[Status.UPDATED]):
        refresh_planner_statistics()  # SQLite: the archive changed the tables' sizes
    if progress:
        progress.finish()
    return report
