"""Publishing purges the CDN / reverse proxy (Wagtail's frontend cache backends): the page, its
category, the home page and their feeds, once the change is committed, as a background job —
in-process in the embedded default, on the Celery worker in production."""

import time

import pytest
from django.db import transaction
from wagtail.models import PageViewRestriction

from bulletins.models import BulletinPage
from portal.settings.caching import frontend_cache_backends
from tests.factories import BulletinIndexPageFactory, BulletinPageFactory
from tests.translating import translated

HTTP_BACKEND = "wagtail.contrib.frontend_cache.backends.HTTPBackend"


@pytest.fixture
def purged(purge_recorder, settings):
    """The web side configured with the recorder as its HTTP cache; the recorder emptied."""
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {"BACKEND": HTTP_BACKEND, "LOCATION": purge_recorder.url}
    }
    purge_recorder.clear()
    yield purge_recorder
    purge_recorder.clear()


def expected_paths(bulletin) -> set[str]:
    category = bulletin.get_parent()
    return {
        bulletin.url,
        category.url,
        category.url + "rss/",
        category.url + "atom/",
        "/",
        "/rss/",
        "/atom/",
    }


def wait_for_paths(recorder, host: str, paths: set[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not paths <= recorder.paths_for(host):
        if time.monotonic() > deadline:
            raise AssertionError(f"purged {recorder.paths_for(host)}, expected {paths}")
        time.sleep(0.1)


@pytest.mark.django_db
def test_publishing_purges_the_bulletin_category_home_and_feeds_in_process(
    purged, category, django_capture_on_commit_callbacks
):
    bulletin = BulletinPageFactory(parent=category, title="Khánh thành cầu Bến Thủy 3", live=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bulletin.save_revision().publish()
        assert purged.purged == [], "nothing is purged before the commit"
    assert callbacks
    assert purged.paths_for("localhost") == expected_paths(bulletin)


@pytest.mark.django_db
def test_moving_purges_both_categories_and_the_old_address(
    purged, home, category, bulletin, django_capture_on_commit_callbacks
):
    other = BulletinIndexPageFactory(parent=home, title="Chỉ đạo điều hành", slug="chi-dao")
    old_url = bulletin.url
    with django_capture_on_commit_callbacks(execute=True):
        bulletin.move(other, pos="last-child")
    moved = BulletinPage.objects.get(pk=bulletin.pk)
    paths = purged.paths_for("localhost")
    assert {old_url, category.url, category.url + "rss/"} <= paths
    assert expected_paths(moved) <= paths


@pytest.mark.django_db
def test_unpublishing_and_deleting_purge_the_page(
    purged, category, bulletin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        bulletin.unpublish()
    assert purged.paths_for("localhost") == expected_paths(bulletin)

    bulletin.save_revision().publish()
    purged.clear()
    url = bulletin.url
    with django_capture_on_commit_callbacks(execute=True):
        bulletin.delete()
    assert url in purged.paths_for("localhost")


@pytest.mark.django_db
def test_publishing_an_english_page_purges_its_english_addresses(
    purged, bulletin, django_capture_on_commit_callbacks
):
    """An English page's URLs are under /en/: its purge went to the Vietnamese addresses."""
    english = translated(bulletin)
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        english.save_revision().publish()
    english_category = english.get_parent()
    assert english.url.startswith("/en/")
    # (Wagtail's backend sends each /en/ address again with every other language's prefix.)
    assert purged.paths_for("localhost") >= {
        english.url,
        english_category.url,
        english_category.url + "rss/",
        english_category.url + "atom/",
        "/en/",
        "/en/rss/",
        "/en/atom/",
    }


@pytest.mark.django_db
def test_a_view_restriction_purges_the_page_everything_below_it_and_their_listings(
    purged, home, category, django_capture_on_commit_callbacks
):
    bulletins = [BulletinPageFactory(parent=category) for _ in range(2)]
    draft = BulletinPageFactory(parent=category, live=False)
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=category, restriction_type=PageViewRestriction.LOGIN
        )
    paths = purged.paths_for("localhost")
    assert {bulletin.url for bulletin in bulletins} | expected_paths(bulletins[0]) <= paths
    assert not any(path.endswith(draft.slug + "/") for path in paths), "a draft has no copy"

    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert expected_paths(bulletins[1]) <= purged.paths_for("localhost")


@pytest.mark.django_db
def test_without_a_frontend_cache_nothing_is_queued(
    purge_recorder, settings, category, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {}
    purge_recorder.clear()
    bulletin = BulletinPageFactory(parent=category, live=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bulletin.save_revision().publish()
    assert purge_recorder.purged == []
    assert not any("purge" in repr(callback) for callback in callbacks)


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_publishing_purges_through_the_celery_worker(purged, celery_tasks, category):
    bulletin = BulletinPageFactory(parent=category, title="Hội nghị sơ kết sáu tháng", live=False)
    with transaction.atomic():
        bulletin.save_revision().publish()
        time.sleep(0.5)
        assert purged.purged == [], "the worker is only told after the commit"
    wait_for_paths(purged, "localhost", expected_paths(bulletin))
    assert "caching.tasks.purge_frontend_cache" in celery_tasks.log()


def test_backends_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "token")
    monkeypatch.setenv("CLOUDFLARE_ZONE_ID", "zone")
    monkeypatch.setenv("CLOUDFRONT_DISTRIBUTION_ID", "E123")
    monkeypatch.setenv("FRONTEND_CACHE_PURGE_URLS", "http://varnish:6081,http://nginx:8080")
    monkeypatch.setenv("FRONTEND_CACHE_HOSTNAMES", "tinhxyz.gov.vn")
    backends = frontend_cache_backends()
    assert backends["cloudflare"]["BEARER_TOKEN"] == "token"
    assert backends["cloudflare"]["ZONEID"] == "zone"
    assert backends["cloudfront"]["DISTRIBUTION_ID"] == "E123"
    assert [backends[name]["LOCATION"] for name in ("purge-0", "purge-1")] == [
        "http://varnish:6081",
        "http://nginx:8080",
    ]
    assert all(backend["HOSTNAMES"] == ["tinhxyz.gov.vn"] for backend in backends.values())


def test_no_environment_no_backends(monkeypatch):
    for name in ("CLOUDFLARE_API_TOKEN", "CLOUDFRONT_DISTRIBUTION_ID", "FRONTEND_CACHE_PURGE_URLS"):
        monkeypatch.delenv(name, raising=False)
    assert frontend_cache_backends() == {}


@pytest.mark.django_db
def test_a_batch_of_publishes_is_purged_in_one_job(
    purged, category, monkeypatch, django_capture_on_commit_callbacks
):
    """An import publishes pages by the hundred: one purge job for the batch, not one each."""
    from caching import tasks
    from caching.batch import forgetting_once

    jobs, task = [], tasks.purge_frontend_cache

    class RecordingTask:
        def enqueue(self, urls):
            jobs.append(urls)
            return task.enqueue(urls)

    monkeypatch.setattr(tasks, "purge_frontend_cache", RecordingTask())
    other = BulletinIndexPageFactory(parent=category.get_parent(), title="Chuyên mục khác")
    first = BulletinPageFactory(parent=category, title="Tin thứ nhất", live=False)
    second = BulletinPageFactory(parent=other, title="Tin thứ hai", live=False)
    with django_capture_on_commit_callbacks(execute=True), forgetting_once():
        first.save_revision().publish()
        second.save_revision().publish()
        assert jobs == [] and purged.purged == []
    assert len(jobs) == 1
    assert purged.paths_for("localhost") == expected_paths(first) | expected_paths(second)
