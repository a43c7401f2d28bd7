"""One chunk of an asynchronous import, on a Celery worker: prepare its files, write them with
the importer's own writer, and record each file's result as soon as its batch is committed.

Idempotent and safe to retry: only files still `pending` are taken, and a file written just
before a worker died is found unchanged (same checksum) the next time, never duplicated. Writers
on several workers share one category; the category row is locked while children are added
(as treebeard does), but each writer takes that lock only for its inserts, with its pages
already parsed, built, validated and serialised (bulletins.legacy.writer), so workers queue
for the inserts alone while everything else runs side by side.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.db.models import F
from django.utils import timezone

from bulletins.legacy.files import DumpJob
from bulletins.legacy.importer import BATCH_SIZE, failure_line
from bulletins.legacy.indexing import import_paused_indexing
from bulletins.legacy.prepare import PreparedBulletin, RejectedDump, prepare_job
from bulletins.legacy.writer import BulletinWriter
from bulletins.models import BulletinIndexPage
from portal.planner_statistics import refresh_planner_statistics

from .models import ImportFileResult, ImportRun

Status = ImportFileResult.Status
logger = logging.getLogger(__name__)


class ArchiveUnavailable(RuntimeError):
    """The archive is not there on this worker (an unmounted share): the chunk is retried,
    rather than every file in it failing."""


def run_chunk(run_id: int, chunk: int) -> int:
    """Import the chunk's pending files; returns how many got a result."""
    run = ImportRun.objects.get(pk=run_id)
    pending = list(run.files.filter(chunk=chunk, status=Status.PENDING).order_by("pk"))
    if not pending:
        return 0  # already done: a task delivered twice
    if missing := [root for root in run.roots if not Path(root).exists()]:
        raise ArchiveUnavailable(f"Worker không thấy kho cần nhập: {', '.join(missing)}")
    ImportFileResult.objects.filter(pk__in=[f.pk for f in pending]).update(
        attempts=F("attempts") + 1
    )
    category = BulletinIndexPage.objects.get(pk=run.category_id)
    old_paths = {
        f.legacy_id: run.old_paths[f.legacy_id] for f in pending if f.legacy_id in run.old_paths
    }
    writer = BulletinWriter(category, old_paths, overwrite_edited=run.overwrite_edited)
    started = time.perf_counter()
    done = 0
    with import_paused_indexing():
        for start in range(0, len(pending), BATCH_SIZE):
            files = pending[start : start + BATCH_SIZE]
            prepared = [prepare_job(DumpJob(f.path, f.legacy_id)) for f in files]
            results = {
                item.legacy_id: (Status.FAILED, None, failure_line(item))
                for item in prepared
                if isinstance(item, RejectedDump)
            }
            good = [item for item in prepared if isinstance(item, PreparedBulletin)]
            for outcome in writer.write(good):
                reason = failure_line(outcome) if outcome.reason else ""
                results[outcome.legacy_id] = (outcome.status.value, outcome.page_id, reason)
            _record(files, results)
            done += len(files)
    _refresh_statistics_after_last_chunk(run_id)
    # Where a chunk's time went, in the worker's log: what serialises workers shows here.
    logger.info(
        "Khối %d của lần nhập %d: %d tệp trong %.2f s (ghi %.2f s, trong đó chờ khoá chuyên mục "
        "%.2f s; chỉ mục tìm kiếm %.2f s)",
        chunk,
        run_id,
        done,
        time.perf_counter() - started,
        writer.seconds_writing,
        writer.seconds_waiting_for_category,
        writer.seconds_indexing,
    )
    return done


def _record(files: list[ImportFileResult], results: dict) -> None:
    now = timezone.now()
    for result in files:
        result.status, result.page_id, result.reason = results[result.legacy_id]
        result.finished_at = now
    ImportFileResult.objects.bulk_update(files, ["status", "page", "reason", "finished_at"])


def give_up(run_id: int, chunk: int, error: BaseException) -> int:
    """After the last retry: the chunk's unfinished files are failed with the reason, so the
    run ends and reports them, instead of waiting for ever."""
    reason = f"LỖI khối {chunk} không chạy được sau nhiều lần thử: {type(error).__name__}: {error}"
    failed = ImportFileResult.objects.filter(
        run_id=run_id, chunk=chunk, status=Status.PENDING
    ).update(status=Status.FAILED, reason=reason[:2000], finished_at=timezone.now())
    # The chunk given up may be the run's last, after others wrote their pages.
    _refresh_statistics_after_last_chunk(run_id)
    return failed


def _refresh_statistics_after_last_chunk(run_id: int) -> None:
    """Once no file of the run is pending, as the synchronous importer does when it ends."""
    if not ImportFileResult.objects.filter(run_id=run_id, status=Status.PENDING).exists():
        refresh_planner_statistics()
