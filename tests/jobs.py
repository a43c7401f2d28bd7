"""What the test Celery worker imports besides the portal's tasks (CELERY_IMPORTS in the test
settings): a job that fails on purpose, and a hook that keeps the worker in step with the
transactional tests."""

import os
import time
from pathlib import Path

from celery import shared_task
from celery.signals import task_prerun
from django_tasks import task


@task()
def flaky_job(path: str, failures: int) -> None:
    """Fails `failures` times, as a job does while the search engine restarts, then succeeds.
    Each attempt is counted in the file at `path`."""
    counter = Path(path)
    attempt = int(counter.read_text()) + 1 if counter.exists() else 1
    counter.write_text(str(attempt))
    if attempt <= failures:
        raise ConnectionError(f"lần thử {attempt}: máy tìm kiếm chưa trả lời")


@shared_task(ignore_result=True)
def long_job(path: str) -> None:
    """Writes its process id to the file at `path` as each attempt starts; the first attempt
    then runs long enough to be killed, a later one finishes by writing "xong"."""
    log = Path(path)
    attempts = log.read_text().splitlines() if log.exists() else []
    with log.open("a") as out:
        out.write(f"{os.getpid()}\n")
    if not attempts:
        time.sleep(120)
    with log.open("a") as out:
        out.write("xong\n")


@task_prerun.connect
def forget_what_the_last_test_flushed(**kwargs) -> None:
    """Each transactional test ends by flushing the database; content types and Wagtail's
    sites come back with new ids, which the worker must not take from its caches. (In
    production ids never change under a running worker.)"""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    ContentType.objects.clear_cache()
    cache.clear()
