from celery import shared_task
from django.db import DatabaseError

from . import outbox


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=5,
)
def flush_pending_tasks() -> int:
    """Send the jobs kept while Redis was away (beat, every minute; and after Redis returns).
    Idempotent: an empty outbox is a no-op, and a job sent twice keeps its task id."""
    return outbox.flush()


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=5,
)
def catch_up_search_index() -> int:
    """Redo the index updates missed while the search engine was away (beat, every minute).
    Idempotent: indexing an object again changes nothing."""
    from .index_catch_up import catch_up

    return catch_up()
