from celery import shared_task
from django.db import DatabaseError

from . import outbox
from .locks import run_alone

# Both run from beat every minute: acknowledged when done, retried while the database is away.
PERIODIC_TASK_OPTIONS = dict(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=5,
)
CATCH_UP_LOCK_KEY = "search-catch-up:lock"
CATCH_UP_LOCK_TIMEOUT = 30 * 60


@shared_task(**PERIODIC_TASK_OPTIONS)
def flush_pending_tasks() -> int:
    """Send the jobs kept while Redis was away (beat, every minute; and after Redis returns).
    Idempotent: an empty outbox is a no-op, and a job sent twice keeps its task id."""
    return outbox.flush()


@shared_task(**PERIODIC_TASK_OPTIONS)
def catch_up_search_index() -> int:
    """Redo the index updates missed while the search engine was away (beat, every minute).
    Idempotent: indexing an object again changes nothing. One run at a time: a rebuild can
    outlast the minute (the lock expires on its own if a worker dies holding it)."""
    from .index_catch_up import catch_up

    with run_alone(CATCH_UP_LOCK_KEY, CATCH_UP_LOCK_TIMEOUT) as acquired:
        return catch_up() if acquired else 0
