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


@pytest.mark.django_db(transaction=True)
def test_reader_pages_are_served_from_the_replica_connection(bulletin, admin_client, settings):
    """On PostgreSQL, a second connection to the test database stands in for the replica (the
    rows are committed, as replication would bring them): a reader's page is read through it,
    the admin through the primary."""
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("a second connection to the in-memory SQLite database sees nothing")
    connections.settings["replica"] = {**connection.settings_dict}
    replica_connection = connections["replica"]
    # Django's test case refuses aliases it was not told of at set-up, but lets a connection
    # whose alias is not (or no longer) configured connect: connect it so, then it stays.
    del connections.settings["replica"]
    replica_connection.ensure_connection()
    settings.DATABASE_ROUTERS = ["portal.db_router.ReaderReplicaRouter"]
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "portal.db_router.ReaderTrafficMiddleware",
        *settings.MIDDLEWARE[1:],
    ]
    try:
        # The first view of a site creates its settings row: a write, on the primary.
        Client().get(bulletin.url)
        with (
            CaptureQueriesContext(connections["replica"]) as replica,
            CaptureQueriesContext(connection) as primary,
        ):
            # A reader of their own: admin_client carries the editor's session cookie.
            assert Client().get(bulletin.url).status_code == 200
        assert len(replica) > 0
        assert len(primary) == 0, [query["sql"][:120] for query in primary]

        with (
            CaptureQueriesContext(connections["replica"]) as replica,
            CaptureQueriesContext(connection) as primary,
        ):
            assert admin_client.get(f"/admin/pages/{bulletin.pk}/edit/").status_code == 200
        assert len(replica) == 0, [query["sql"][:120] for query in replica]
        assert len(primary) > 0
    finally:
        replica_connection.close()
        del connections["replica"]
