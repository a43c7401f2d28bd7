"""Background work on a real Celery worker process and a real Redis, on the PostgreSQL test
database (the worker is another process, so the tests commit: transaction=True)."""

import time

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_tasks.signals import task_enqueued

from background.models import PendingTask
from bulletins.models import BulletinPage
from home.tasks import publish_scheduled_pages
from portal.cache import forget_redis_failures
from portal.tasks_backend import forget_broker_failure
from tests.factories import BulletinPageFactory
from tests.jobs import flaky_job
from tests.test_admin import bulletin_form_data
from tests.test_background import make_due, schedule_two_bulletins

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

INDEX_JOB = "modelsearch.tasks.insert_or_update_object_task"


def wait_for(predicate, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout} s: {what}")
        time.sleep(0.1)


def found(query: str) -> set[int]:
    return {page.pk for page in BulletinPage.objects.live().search(query)}


@pytest.fixture
def sent_jobs():
    """(module path, id) of each job as Redis takes it."""
    sent = []

    def record(sender, task_result, **kwargs):
        sent.append((task_result.task.module_path, task_result.id))

    task_enqueued.connect(record)
    yield sent
    task_enqueued.disconnect(record)


def test_wagtail_jobs_reach_the_worker_only_once_the_page_is_committed(
    celery_tasks, category, sent_jobs
):
    with transaction.atomic():
        page = BulletinPageFactory(parent=category, title="Khánh thành cầu Bến Thủy 3")
        assert sent_jobs == [], "nothing may leave before the commit"
    index_jobs = [job_id for path, job_id in sent_jobs if path == INDEX_JOB]
    assert index_jobs, sent_jobs

    wait_for(lambda: page.pk in found("Bến Thủy"), "the bulletin became searchable")
    wait_for(
        lambda: any(f"[{job_id}] succeeded" in celery_tasks.log() for job_id in index_jobs),
        "the worker logged the index job it ran",
    )


def test_a_publish_sends_each_job_once(celery_tasks, category, sent_jobs):
    with transaction.atomic():
        page = BulletinPageFactory(parent=category, live=False, title="Hội thi tin học trẻ")
        page.save_revision().publish()  # three saves of the page
    index_jobs = [job_id for path, job_id in sent_jobs if path == INDEX_JOB]
    assert len(index_jobs) == 1, sent_jobs
    wait_for(lambda: page.pk in found("tin học"), "the bulletin became searchable")


def test_a_failing_job_is_retried_with_backoff_on_the_worker(celery_tasks, tmp_path):
    attempts = tmp_path / "attempts"
    flaky_job.enqueue(str(attempts), 2)
    wait_for(lambda: attempts.exists() and attempts.read_text() == "3", "a third attempt")
    time.sleep(0.5)
    assert attempts.read_text() == "3", "the job stops once it succeeds"
    assert "tests.jobs.flaky_job" in celery_tasks.log()
    assert "retry: Retry in" in celery_tasks.log()  # Celery's own retry, with a countdown


def test_scheduled_publishing_runs_on_the_worker(celery_tasks, category):
    scheduled, expiring = schedule_two_bulletins(category)
    make_due(scheduled, expiring)
    publish_scheduled_pages.delay()  # what beat sends at the start of every minute

    def done() -> bool:
        scheduled.refresh_from_db()
        expiring.refresh_from_db()
        return scheduled.live and not expiring.live

    wait_for(done, "the scheduled bulletin went live and the expired one offline")
    assert expiring.expired


def test_with_redis_stopped_readers_read_editors_publish_and_no_job_is_lost(
    celery_tasks, redis_server, category, admin_client, settings
):
    if redis_server.external:
        pytest.skip("REDIS_URL is a Redis this test cannot stop")
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailSafeRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"RETRY_AFTER": 1, "socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
    reader = Client()
    bulletin = BulletinPageFactory(parent=category)
    assert reader.get(bulletin.url).status_code == 200  # menus and settings now in Redis

    # A worker holding an unacknowledged task when Redis goes can exit (a Celery/kombu limit;
    # production restarts it): this test is about the web side, so the worker is idle first.
    celery_tasks.wait_until_idle()
    redis_server.stop()
    try:
        for url in ("/", category.url, bulletin.url):
            assert reader.get(url).status_code == 200, url

        add = reverse("wagtailadmin_pages:add", args=["bulletins", "bulletinpage", category.pk])
        form = bulletin_form_data(
            "Đường tỉnh 258 thông xe", "Sáng nay tuyến đường thông xe.", "<p>Dài 12 km.</p>", "An"
        )
        response = admin_client.post(add, {**form, "action-publish": "publish"})
        assert response.status_code == 302
        published = BulletinPage.objects.get(title="Đường tỉnh 258 thông xe")
        assert published.live
        assert INDEX_JOB in set(PendingTask.objects.values_list("task_path", flat=True))
        assert published.pk not in found("thông xe")
    finally:
        redis_server.start()
    forget_redis_failures()
    forget_broker_failure()  # as when BROKER_RETRY_AFTER has passed

    # The next job Redis takes has the worker send what was kept.
    later = BulletinPageFactory(parent=category, title="Hội nghị sơ kết sáu tháng")
    wait_for(lambda: not PendingTask.objects.exists(), "the kept jobs were sent")
    wait_for(
        lambda: published.pk in found("thông xe") and later.pk in found("sơ kết"),
        "the worker indexed both bulletins",
    )
    assert celery_tasks.process.poll() is None, "the worker rode out the outage"
