"""Elasticsearch/OpenSearch down: search says so (503), everything else keeps serving.

Two ways down, both real: a backend pointed at a port where nothing listens (connection
refused, needs no engine), and an osmem-server stopped in the middle of a test and started
again empty. In both, `update_index` brings back what was published meanwhile.
"""

import io
import logging
import socket

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Site
from wagtail.search.backends import get_search_backend

from bulletins.models import BulletinPage
from tests.factories import BulletinIndexPageFactory, BulletinPageFactory
from tests.search_backends import (
    ENGINES,
    SearchEngine,
    closed_port_url,
    drop_indexes,
    engine_config,
    engine_params,
)
from tests.test_admin import bulletin_form_data

pytestmark = pytest.mark.django_db

UNAVAILABLE = "Tìm kiếm tạm thời không hoạt động"


def down_config(name: str) -> dict:
    return {
        "BACKEND": settings.VIETNAMESE_SEARCH_BACKENDS[name],
        "URLS": [closed_port_url()],
        "INDEX_PREFIX": "test_down_",
        "TIMEOUT": 2,
    }


def backends(config: dict):
    return override_settings(WAGTAILSEARCH_BACKENDS={"default": config})


def assert_search_unavailable(client) -> None:
    response = client.get("/tim-kiem/", {"q": "tre em"})
    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()
    assert response["Retry-After"] == "60"
    assert response["X-Robots-Tag"] == "noindex"

    suggest = client.get("/tim-kiem/goi-y/", {"q": "bac"})
    assert suggest.status_code == 503
    assert suggest.json()["message"].startswith(UNAVAILABLE)
    assert suggest.json()["suggestions"] == []

    api = client.get("/api/v2/pages/", {"type": "bulletins.BulletinPage", "search": "bac"})
    assert api.status_code == 503
    assert api.json()["message"].startswith(UNAVAILABLE)


def assert_other_pages_serve(client, *pages) -> None:
    urls = ["/", "/tim-kiem/", "/tim-kiem/?q=*", "/sitemap.xml", "/api/v2/pages/"]
    for url in [*urls, *(page.url for page in pages)]:
        assert client.get(url).status_code == 200, url


def publish_through_the_admin(admin_client, category, title: str) -> BulletinPage:
    url = reverse("wagtailadmin_pages:add", args=["bulletins", "bulletinpage", category.pk])
    data = bulletin_form_data(title, "Sapo về trẻ em.", "<p>Nội dung.</p>", "Thu Trang")
    data["action-publish"] = "publish"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    page = BulletinPage.objects.get(title=title)
    assert page.live
    return page


def search_titles(client, query: str = "tre em") -> set[str]:
    response = client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 200
    return {page.title for page in response.context["search_results"]}


@pytest.mark.parametrize("name", ENGINES)
def test_connection_refused(client, admin_client, category, bulletin, name, caplog):
    with backends(down_config(name)), caplog.at_level(logging.ERROR, logger="modelsearch"):
        assert_search_unavailable(client)
        assert_other_pages_serve(client, category, bulletin)

        # Publishing and deleting still work; the index update is logged and dropped.
        published = publish_through_the_admin(admin_client, category, "Tin đăng lúc máy ngừng")
        assert client.get(published.url).status_code == 200
        published.delete()
        assert not BulletinPage.objects.filter(title="Tin đăng lúc máy ngừng").exists()
    messages = [record.getMessage() for record in caplog.records]
    assert any("Exception raised while adding" in message for message in messages)
    assert any("Exception raised while deleting" in message for message in messages)


@pytest.mark.parametrize("name", engine_params())
def test_update_index_restores_what_was_published_while_down(
    client, admin_client, category, search_engine, name
):
    up = {**engine_config(name, search_engine), "ATOMIC_REBUILD": True, "AUTO_UPDATE": True}
    down = {**up, "URLS": [closed_port_url()]}
    try:
        with backends(up):
            call_command("update_index", stdout=io.StringIO())
            before = BulletinPageFactory(parent=category, title="Trẻ em vùng cao đón Tết")
            get_search_backend().get_index_for_model(BulletinPage).refresh()
            assert search_titles(client) == {before.title}
        with backends(down):
            during = publish_through_the_admin(admin_client, category, "Tiêm vắc xin cho trẻ em")
            assert_search_unavailable(client)
        with backends(up):
            assert search_titles(client) == {before.title}  # missed while the engine was down
            call_command("update_index", stdout=io.StringIO())
            assert search_titles(client) == {before.title, during.title}
    finally:
        with backends(up):
            drop_indexes(get_search_backend())


def free_address() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{sock.getsockname()[1]}"


@pytest.mark.search_engine
@pytest.mark.parametrize("name", ENGINES)
def test_stopping_and_restarting_a_real_engine(client, admin_client, category, search_engine, name):
    if not search_engine.is_osmem:
        pytest.skip("stops and restarts an engine of its own: osmem-server only")
    from osmem_server import OsmemServer

    address = free_address()
    server = OsmemServer.start(japanese=False, addr=address)
    config = {
        **engine_config(name, SearchEngine(url=server.url, is_osmem=True)),
        "ATOMIC_REBUILD": True,
        "AUTO_UPDATE": True,
    }
    try:
        with backends(config):
            call_command("update_index", stdout=io.StringIO())
            first = BulletinPageFactory(parent=category, title="Trẻ em vùng cao đón Tết")
            get_search_backend().get_index_for_model(BulletinPage).refresh()
            assert search_titles(client) == {first.title}

            server.close()
            assert_search_unavailable(client)
            assert_other_pages_serve(client, category, first)
            second = publish_through_the_admin(admin_client, category, "Tiêm vắc xin cho trẻ em")

            server = OsmemServer.start(japanese=False, addr=address)
            # Back, but empty (osmem keeps its indexes in memory): still unavailable, not a 500.
            assert client.get("/tim-kiem/", {"q": "tre em"}).status_code == 503
            call_command("update_index", stdout=io.StringIO())
            assert search_titles(client) == {first.title, second.title}
            assert client.get("/tim-kiem/goi-y/", {"q": "tiem vac"}).json()["suggestions"]
    finally:
        server.close()


def test_the_unavailable_page_links_a_sitemap_only_where_the_site_has_one(client, home):
    """A department's site has a category as its root: no `so-do-trang/` page to link to."""
    department = BulletinIndexPageFactory(parent=home, title="Sở Y tế", slug="so-y-te")
    Site.objects.create(hostname="syt.example.vn", port=80, root_page=department)
    with backends(down_config(ENGINES[0])):
        on_department = client.get("/tim-kiem/", {"q": "tre em"}, HTTP_HOST="syt.example.vn")
        on_province = client.get("/tim-kiem/", {"q": "tre em"})
    assert (on_department.status_code, on_province.status_code) == (503, 503)
    assert "so-do-trang/" not in on_department.content.decode()
    assert 'href="/so-do-trang/"' in on_province.content.decode()
