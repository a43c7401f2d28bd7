"""Planning, sending and following an asynchronous import (`import_publishingportal --async`).

The archive is walked once, in the importer's order, and every file gets a pending
`ImportFileResult` row in its chunk, all committed before any task is sent: a worker always
finds its files, and a file can only leave `pending` with a result. The command then follows the
rows (a progress bar, failures as they come) until none is pending; stopping the command does
not stop the import, and `--follow RUN_ID` picks it up again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.db import transaction
from django.db.models import Count

from bulletins.legacy.files import find_dumps, storable
from bulletins.legacy.importer import DUPLICATE_REASON
from bulletins.legacy.progress import Progress
from bulletins.models import BulletinIndexPage

from .models import ImportFileResult, ImportRun

Status = ImportFileResult.Status
ROWS_PER_INSERT = 1000


NOT_UTF8_NAME_REASON = (
    "tên tệp không phải UTF-8 (mã hoá cũ như Windows-1258), không ghi được vào danh sách việc "
    "của worker: hãy đổi tên tệp sang UTF-8 (ví dụ bằng convmv) hoặc nhập không dùng --async."
)


def plan(
    paths: Iterable[Path],
    category: BulletinIndexPage,
    *,
    old_paths: dict[str, str] | None = None,
    chunk_size: int = 200,
    overwrite_edited: bool = False,
    root: Path | None = None,
) -> ImportRun:
    paths = list(paths)
    with transaction.atomic():
        run = ImportRun.objects.create(
            category=category,
            roots=[str(path) for path in paths],
            old_paths=old_paths or {},
            chunk_size=chunk_size,
            overwrite_edited=overwrite_edited,
        )
        rows: list[ImportFileResult] = []
        seen: set[str] = set()
        total = 0
        for job in find_dumps(paths, root):
            row = ImportFileResult(
                run=run, chunk=total // chunk_size, legacy_id=job.legacy_id, path=job.path
            )
            if storable(job.path) != job.path:  # a name from a Windows archive, not UTF-8
                row.path = storable(job.path)
                row.status = Status.FAILED
                row.reason = f"LỖI {job.legacy_id}: {NOT_UTF8_NAME_REASON}"
            elif job.legacy_id in seen:  # the same relative path under two roots
                row.legacy_id = job.path
                row.status = Status.FAILED
                row.reason = f"LỖI {job.legacy_id}: {DUPLICATE_REASON}"
            seen.add(job.legacy_id)
            rows.append(row)
            total += 1
            if len(rows) >= ROWS_PER_INSERT:
                ImportFileResult.objects.bulk_create(rows)
                rows = []
        ImportFileResult.objects.bulk_create(rows)
        run.total = total
        run.chunks = -(-total // chunk_size)
        run.save(update_fields=["total", "chunks"])
    return run


def send(run: ImportRun) -> None:
    """One Celery task per chunk. Raises the broker's error when Redis does not answer."""
    from .tasks import import_chunk

    for chunk in range(run.chunks):
        import_chunk.apply_async((run.pk, chunk))


def counts(run: ImportRun) -> dict[str, int]:
    found = dict(run.files.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: found.get(status, 0) for status in Status.values}


def summary(tally: dict[str, int]) -> str:
    """The synchronous importer's summary line, for the same archive."""
    return (
        f"{tally[Status.IMPORTED]} imported, {tally[Status.UPDATED]} updated, "
        f"{tally[Status.UNCHANGED]} unchanged, {tally[Status.FAILED]} failed"
    )


def follow(
    run: ImportRun,
    progress: Progress | None,
    on_failure: Callable[[str], None],
    *,
    poll_seconds: float = 0.5,
    timeout: float | None = None,
) -> dict[str, int]:
    """Until no file of the run is pending (or `timeout` seconds): advance the progress bar and
    report each failed file once. Returns the counts by status."""
    reported: set[int] = set()
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        tally = counts(run)
        failures = run.files.filter(status=Status.FAILED).exclude(pk__in=reported)
        for pk, reason in failures.order_by("pk").values_list("pk", "reason"):
            reported.add(pk)
            on_failure(reason)
        if progress:
            progress.advance(run.total - tally[Status.PENDING] - progress.done)
        if not tally[Status.PENDING]:
            break
        if deadline is not None and time.monotonic() > deadline:
            break
        time.sleep(poll_seconds)
    if progress:
        progress.finish()
    return tally
