import io

from celery import shared_task
from django.core.management import call_command
from django.db import DatabaseError

from background.locks import run_alone

# Two runs at once could publish the same revision twice (a slow worker and the next minute's
# run); the lock expires on its own if a worker dies holding it.
LOCK_KEY = "publish-scheduled:lock"
LOCK_TIMEOUT = 50


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=30,
    max_retries=3,
)
def publish_scheduled_pages() -> None:
    """Wagtail's scheduled publishing (the `publish_scheduled` command), every minute from beat:
    pages and snippets whose go-live time has passed go live, those whose expiry has passed go
    offline. Idempotent: a second run finds nothing due."""
    with run_alone(LOCK_KEY, LOCK_TIMEOUT) as acquired:
        if acquired:
            call_command("publish_scheduled", stdout=io.StringIO())
