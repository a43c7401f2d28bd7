"""Background work that needs no Redis: scheduled publishing, the beat schedule, which settings
send Wagtail's jobs to Celery, and /healthz. The same on a real Celery worker and Redis is in
test_celery.py."""

import datetime
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from home import tasks
from home.tasks import publish_scheduled_pages
from tests.factories import BulletinPageFactory
from tests.search_backends import ENGINES, engine_config
from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent


def schedule_two_bulletins(category):
    """One bulletin an editor scheduled to go live, one published with an expiry, both due in an
    hour: far enough that a slow machine cannot reach it while the test sets up."""
    due = timezone.now() + datetime.timedelta(hours=1)
    scheduled = BulletinPageFactory(parent=category, live=False, title="Lịch tiếp công dân tháng 6")
    scheduled.go_live_at = due
    scheduled.save_revision().publish()
    expiring = BulletinPageFactory(parent=category, title="Thông báo tuyển dụng viên chức 2024")
    expiring.expire_at = due
    expiring.save_revision().publish()
    return scheduled, expiring


def make_due(scheduled, expiring) -> None:
    """Move both times a second into the past, as if the hour had passed: the approved revision
    (its go-live time and the copy of it in its content) and the expiring page."""
    from wagtail.models import Page, Revision

    past = timezone.now() - datetime.timedelta(seconds=1)
    for revision in Revision.page_revisions.filter(object_id=str(scheduled.pk)).exclude(
        approved_go_live_at=None
    ):
        revision.approved_go_live_at = past
        revision.content["go_live_at"] = past.isoformat()
        revision.save(update_fields=["approved_go_live_at", "content"])
    Page.objects.filter(pk=scheduled.pk).update(go_live_at=past)
    Page.objects.filter(pk=expiring.pk).update(expire_at=past)


@pytest.mark.django_db
def test_scheduled_publishing_puts_due_bulletins_live_and_expired_ones_offline(category):
    scheduled, expiring = schedule_two_bulletins(category)
    publish_scheduled_pages()
    scheduled.refresh_from_db()
    expiring.refresh_from_db()
    assert (scheduled.live, expiring.live) == (False, True), "nothing is due yet"

    make_due(scheduled, expiring)
    publish_scheduled_pages()
    scheduled.refresh_from_db()
    expiring.refresh_from_db()
    assert scheduled.live
    assert not expiring.live
    assert expiring.expired


def test_a_run_outlasting_its_lock_leaves_the_next_runs_lock_alone(monkeypatch):
    calls = []

    def slow_run(*args, **kwargs):
        calls.append(args)
        # Past LOCK_TIMEOUT: the lock expired and the next minute's run took it.
        cache.set(tasks.LOCK_KEY, "the-next-run", tasks.LOCK_TIMEOUT)

    monkeypatch.setattr(tasks, "call_command", slow_run)
    cache.delete(tasks.LOCK_KEY)
    try:
        publish_scheduled_pages()
        assert calls == [("publish_scheduled",)]
        assert cache.get(tasks.LOCK_KEY) == "the-next-run", "the next run still holds its lock"

        publish_scheduled_pages()
        assert len(calls) == 1, "nothing runs while another run holds the lock"
    finally:
        cache.delete(tasks.LOCK_KEY)


def test_beat_runs_scheduled_publishing_and_the_outbox_every_minute():
    from portal.celery import app

    schedule = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for name in ("home.tasks.publish_scheduled_pages", "background.tasks.flush_pending_tasks"):
        importlib.import_module(name.rsplit(".", 1)[0])  # as the worker's autodiscovery does
        assert schedule[name]["schedule"] == crontab(), f"{name} runs every minute"
        # A tick nobody ran within the minute is dropped: the next one does the same work.
        assert schedule[name]["options"]["expires"] < 60
        task = app.tasks[name]
        assert task.acks_late
        assert task.max_retries and task.retry_backoff


def _settings_of(module: str, expression: str, **env: str) -> str:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    }
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings as s; print({expression})"],
        cwd=ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_sends_wagtail_jobs_to_celery_only_when_redis_is_configured():
    expression = "s.TASKS['default']['BACKEND'], s.CACHES['default']['BACKEND']"
    secrets = {"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u:p@db:5432/portal"}
    with_redis = _settings_of(
        "portal.settings.production", expression, REDIS_URL="redis://redis:6379/0", **secrets
    )
    assert with_redis == "portal.tasks_backend.CeleryBackend portal.cache.FailSafeRedisCache"
    without = _settings_of("portal.settings.production", expression, **secrets)
    assert without == (
        "django_tasks.backends.immediate.ImmediateBackend "
        "django.core.cache.backends.locmem.LocMemCache"
    )


@pytest.mark.django_db
def test_healthz_on_the_embedded_default(client, settings):
    settings.CELERY_BROKER_URL = "memory://"  # no REDIS_URL
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    checks = body["checks"]
    assert checks["database"]["ok"] is True
    assert checks["cache"]["ok"] is True
    # No Redis and database search: nothing else to wait for.
    assert checks["broker"] == {**checks["broker"], "required": False, "ok": None}
    assert checks["search_engine"] == {**checks["search_engine"], "required": False, "ok": None}


@pytest.mark.django_db
def test_healthz_is_503_when_redis_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"]["required"] is True
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["broker"]["detail"].startswith("không trả lời")
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_is_503_when_the_configured_search_engine_does_not_answer(client):
    stopped = {
        "BACKEND": settings.VIETNAMESE_SEARCH_BACKENDS["opensearch3"],
        "URLS": [f"http://127.0.0.1:{free_port()}"],
        "INDEX_PREFIX": "healthz_",
        "TIMEOUT": 2,
    }
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": stopped}):
        response = client.get("/healthz")
    assert response.status_code == 503
    search = response.json()["checks"]["search_engine"]
    assert (search["required"], search["ok"]) == (True, False)


@pytest.mark.search_engine
@pytest.mark.django_db
@pytest.mark.parametrize("engine", ENGINES)
def test_healthz_reports_a_running_search_engine(client, search_engine, engine):
    running = engine_config(engine, search_engine)
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": running}):
        response = client.get("/healthz")
    assert response.status_code == 200, response.content
    search = response.json()["checks"]["search_engine"]
    assert (search["required"], search["ok"]) == (True, True)
