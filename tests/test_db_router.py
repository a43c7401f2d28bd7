"""Reader traffic to the read replica (portal/db_router.py): anonymous GETs outside the admin
read from `replica`; editors, writes and everything outside a request use the primary."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page

from portal.db_router import ReaderReplicaRouter, ReaderTrafficMiddleware

router = ReaderReplicaRouter()


def database_read_by(request) -> str:
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(Page)
        seen["write"] = router.db_for_write(Page)
        return None

    ReaderTrafficMiddleware(view)(request)
    return seen


@pytest.fixture
def requests():
    return RequestFactory()


def test_anonymous_reader_reads_from_the_replica(requests):
    seen = database_read_by(requests.get("/tin-tuc/khai-mac-hoi-cho/"))
    assert seen == {"read": "replica", "write": "default"}
    assert database_read_by(requests.head("/tim-kiem/?q=hoi+cho"))["read"] == "replica"


def test_editor_with_a_session_reads_from_the_primary(requests, settings):
    request = requests.get("/tin-tuc/khai-mac-hoi-cho/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "phien-bien-tap"
    assert database_read_by(request)["read"] == "default"


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/django-admin/"])
def test_admin_reads_from_the_primary(requests, path):
    assert database_read_by(requests.get(path))["read"] == "default"


def test_posts_read_from_the_primary(requests):
    assert database_read_by(requests.post("/lien-he/", {"ten": "An"}))["read"] == "default"


def test_outside_a_request_reads_from_the_primary(requests):
    # Celery tasks and management commands; also after a reader's request has ended.
    database_read_by(requests.get("/"))
    assert router.db_for_read(Page) == "default"


def test_migrations_only_on_the_primary():
    assert router.allow_migrate("default", "wagtailcore") is True
    assert router.allow_migrate("replica", "wagtailcore") is False
