"""The outbox: background jobs that Redis could not take are kept in the database and sent
once it answers again, so an editor's publish never fails and no index update is lost.

Sending is at-least-once: a job sent just before its row is deleted may be sent again after
a crash, under the same task id. Every job the portal queues is idempotent (an index or
reference-index update, scheduled publishing), so a second run changes nothing.
"""

import logging

from django.db import transaction
from django.db.models import F

from .models import PendingTask

logger = logging.getLogger(__name__)

# Whether this process may have left rows behind. Unknown when the process starts, so the first
# job Redis takes checks once; after that only a failed send sets it again.
_may_be_waiting = True


def keep(
    *,
    task_id: str,
    task_path: str,
    args: list,
    kwargs: dict,
    queue_name: str,
    priority: int,
    run_after,
    error: str,
) -> PendingTask:
    global _may_be_waiting
    _may_be_waiting = True
    job, _ = PendingTask.objects.get_or_create(
        task_id=task_id,
        defaults={
            "task_path": task_path,
            "args": list(args),
            "kwargs": dict(kwargs),
            "queue_name": queue_name,
            "priority": priority,
            "run_after": run_after,
            "last_error": error[:2000],
        },
    )
    logger.warning(
        "Chưa gửi được việc nền %s (%s): giữ lại để gửi sau. %s", task_path, task_id, error
    )
    return job


def flush(batch_size: int = 100) -> int:
    """Send the kept jobs, oldest first, and stop at the first one Redis still refuses.

    Rows are locked with SKIP LOCKED, so beat's flush and a web process's flush never send the
    same row at once. Returns how many were sent.
    """
    from portal.tasks_backend import BROKER_ERRORS, publish

    global _may_be_waiting
    total = 0
    while True:
        failure = None
        with transaction.atomic():
            batch = list(
                PendingTask.objects.select_for_update(skip_locked=True).order_by(
                    "created_at", "pk"
                )[:batch_size]
            )
            sent = []
            for job in batch:
                try:
                    publish(
                        job.task_path,
                        job.args,
                        job.kwargs,
                        task_id=job.task_id,
                        queue_name=job.queue_name,
                        priority=job.priority,
                        run_after=job.run_after,
                    )
                except BROKER_ERRORS as exc:
                    failure = f"{type(exc).__name__}: {exc}"
                    PendingTask.objects.filter(pk=job.pk).update(
                        attempts=F("attempts") + 1, last_error=failure[:2000]
                    )
                    break
                sent.append(job.pk)
            PendingTask.objects.filter(pk__in=sent).delete()
        total += len(sent)
        if failure:
            logger.warning("Redis vẫn chưa nhận việc nền: đã gửi %d, dừng lại. %s", total, failure)
            return total
        if len(batch) < batch_size:
            break
    _may_be_waiting = PendingTask.objects.exists()
    if total:
        logger.info("Đã gửi %d việc nền được giữ lại khi Redis không trả lời.", total)
    return total


def flush_soon_if_waiting() -> None:
    """Called after Redis took a job: if jobs were kept while it was away, have a worker send
    them now rather than at beat's next minute."""
    global _may_be_waiting
    if not _may_be_waiting:
        return
    _may_be_waiting = False
    if not PendingTask.objects.exists():
        return
    from portal.tasks_backend import BROKER_ERRORS

    from .tasks import flush_pending_tasks

    try:
        flush_pending_tasks.delay()
    except BROKER_ERRORS:
        _may_be_waiting = True  # beat's flush will still come
