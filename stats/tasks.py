from celery import shared_task
from django.db import DatabaseError

from . import counter


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(DatabaseError, *counter.REDIS_AWAY),
    retry_backoff=True,
    retry_backoff_max=30,
    max_retries=3,
)
def flush_view_counts() -> int:
    """Move the views counted in Redis to the database (beat, every minute). Idempotent: a batch
    already added is only deleted from Redis (see stats.counter)."""
    return counter.flush()
