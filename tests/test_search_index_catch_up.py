"""The search index catches up by itself after the search engine was away: what was published
or deleted meanwhile is recorded and redone by beat's `catch_up_search_index`, and an engine
that comes back empty is rebuilt. Real osmem-server engines, stopped and started."""

import io

import pytest
from django.core.management import call_command
from osmem_server import OsmemServer
from wagtail.search.backends import get_search_backend

from background.models import MissedIndexUpdate
from background.tasks import catch_up_search_index
from bulletins.models import BulletinPage
from tests.factories import BulletinPageFactory
from tests.search_backends import ENGINES, SearchEngine, closed_port_url, engine_config
from tests.test_search_engine_down import (
    assert_search_unavailable,
    backends,
    free_address,
    publish_through_the_admin,
    search_titles,
)

pytestmark = [pytest.mark.django_db, pytest.mark.search_engine]


def auto_updating(name: str, url: str, prefix: str) -> dict:
    config = engine_config(name, SearchEngine(url=url, is_osmem=True))
    return {**config, "INDEX_PREFIX": prefix, "ATOMIC_REBUILD": True, "AUTO_UPDATE": True}


def refreshed() -> None:
    get_search_backend().get_index_for_model(BulletinPage).refresh()


def in_engine(page_id: int) -> bool:
    """Whether the engine holds the page's document (search results hide deleted pages, which
    come from the database, so a stale document shows only here)."""
    backend = get_search_backend()
    index = backend.get_index_for_model(BulletinPage)
    return bool(backend.es.exists(index=index.name, id=str(page_id)))


@pytest.mark.parametrize("name", ENGINES)
def test_updates_missed_while_the_engine_was_away_are_redone(
    client, admin_client, category, search_engine, name
):
    if not search_engine.is_osmem:
        pytest.skip("starts engines of its own: osmem-server only")
    server = OsmemServer.start(japanese=False, addr=free_address())
    up = auto_updating(name, server.url, "test_catchup_")
    down = {**up, "URLS": [closed_port_url()]}
    try:
        with backends(up):
            call_command("update_index", stdout=io.StringIO())
            kept = BulletinPageFactory(parent=category, title="Trẻ em vùng cao đón Tết")
            gone = BulletinPageFactory(parent=category, title="Trẻ em đến trường an toàn")
            refreshed()
            assert search_titles(client) == {kept.title, gone.title}
        gone_id = gone.pk
        with backends(down):
            added = publish_through_the_admin(admin_client, category, "Tiêm vắc xin cho trẻ em")
            gone.delete()
            assert_search_unavailable(client)
            assert catch_up_search_index() == 0, "nothing is redone while the engine is away"
        assert MissedIndexUpdate.objects.count() == 2
        with backends(up):
            assert (in_engine(gone_id), in_engine(added.pk)) == (True, False)
            assert catch_up_search_index() == 2  # what beat runs every minute
            refreshed()
            assert (in_engine(gone_id), in_engine(added.pk)) == (False, True)
            assert search_titles(client) == {kept.title, added.title}
            assert catch_up_search_index() == 0, "a second run has nothing left"
        assert not MissedIndexUpdate.objects.exists()
    finally:
        server.close()


@pytest.mark.parametrize("name", ENGINES)
def test_an_engine_that_restarts_empty_is_rebuilt(
    client, admin_client, category, search_engine, name
):
    if not search_engine.is_osmem:
        pytest.skip("stops and restarts an engine of its own: osmem-server only")
    address = free_address()
    server = OsmemServer.start(japanese=False, addr=address)
    config = auto_updating(name, server.url, "test_restart_")
    try:
        with backends(config):
            call_command("update_index", stdout=io.StringIO())
            first = BulletinPageFactory(parent=category, title="Trẻ em vùng cao đón Tết")
            refreshed()
            assert search_titles(client) == {first.title}

            server.close()
            second = publish_through_the_admin(admin_client, category, "Tiêm vắc xin cho trẻ em")
            assert catch_up_search_index() == 0
            assert MissedIndexUpdate.objects.count() == 1

            server = OsmemServer.start(japanese=False, addr=address)  # back, and empty
            assert catch_up_search_index() == 1
            refreshed()
            assert search_titles(client) == {first.title, second.title}
            assert not MissedIndexUpdate.objects.exists()
    finally:
        server.close()


@pytest.mark.parametrize("name", ENGINES)
def test_publishing_with_the_engine_away_records_the_missed_update(
    admin_client, category, name, settings
):
    config = {
        "BACKEND": settings.VIETNAMESE_SEARCH_BACKENDS[name],
        "URLS": [closed_port_url()],
        "INDEX_PREFIX": "test_down_",
        "TIMEOUT": 2,
    }
    with backends(config):
        page = publish_through_the_admin(admin_client, category, "Tin đăng lúc máy ngừng")
    missed = MissedIndexUpdate.objects.get()
    assert (missed.app_label, missed.model_name, missed.object_pk, missed.removed) == (
        "bulletins",
        "bulletinpage",
        str(page.pk),
        False,
    )
