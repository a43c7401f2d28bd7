"""Cache-Control: CDNs and browsers may keep reader pages for anonymous readers, briefly and
purged on publish; never an editor's page, the admin, a preview or a search with a query."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=60, s-maxage=300, stale-while-revalidate=60"


@pytest.fixture(autouse=True)
def cache_control_settings(settings):
    settings.CACHE_CONTROL_MAX_AGE = 60
    settings.CACHE_CONTROL_S_MAXAGE = 300
    settings.CACHE_CONTROL_STALE_WHILE_REVALIDATE = 60


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def test_reader_pages_are_public_with_a_short_browser_life_and_a_longer_cdn_life(
    client, home, category, bulletin
):
    for url in (home.url, category.url, bulletin.url, category.url + "rss/", "/tim-kiem/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert directives(response) == set(PUBLIC.split(", ")), url


def test_the_figures_come_from_settings(client, bulletin, settings):
    settings.CACHE_CONTROL_MAX_AGE = 30
    settings.CACHE_CONTROL_S_MAXAGE = 3600
    settings.CACHE_CONTROL_STALE_WHILE_REVALIDATE = 120
    assert directives(client.get(bulletin.url)) == {
        "public",
        "max-age=30",
        "s-maxage=3600",
        "stale-while-revalidate=120",
    }


def test_pages_from_the_page_cache_carry_the_same_header(client, bulletin, settings):
    settings.PAGE_CACHE_ENABLED = True
    first, second = client.get(bulletin.url), client.get(bulletin.url)
    assert second["X-Page-Cache"] == "hit"
    assert first["Cache-Control"] == second["Cache-Control"]
    assert "public" in directives(second)


def test_a_logged_in_editor_gets_private_no_store_pages(admin_client, bulletin):
    for url in (bulletin.url, "/admin/", "/tim-kiem/"):
        assert {"private", "no-store"} <= directives(admin_client.get(url)), url
        assert "public" not in directives(admin_client.get(url)), url


def test_the_admin_and_its_login_page_are_never_stored(client, home):
    response = client.get("/admin/login/")
    assert {"private", "no-store"} <= directives(response)


def test_a_preview_is_never_stored(admin_client, bulletin):
    from django.urls import reverse

    response = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[bulletin.pk]))
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_a_search_with_a_query_stays_in_the_readers_browser(client, bulletin):
    response = client.get("/tim-kiem/", {"q": "cầu"})
    assert response.status_code == 200
    assert directives(response) == {"private", "no-cache"}


def test_a_response_that_sets_a_cookie_is_private(client, bulletin, monkeypatch):
    from django.middleware.csrf import get_token

    from bulletins.models import BulletinPage

    original_serve = BulletinPage.serve

    def serve_with_a_form(self, request, *args, **kwargs):
        get_token(request)
        return original_serve(self, request, *args, **kwargs)

    monkeypatch.setattr(BulletinPage, "serve", serve_with_a_form)
    response = Client().get(bulletin.url)
    assert "csrftoken" in response.cookies
    assert {"private", "no-store"} <= directives(response)


def test_errors_and_views_with_their_own_header_are_left_alone(client, home):
    assert "public" not in directives(client.get("/khong-co-trang-nay/"))
    health = client.get("/healthz")
    assert "no-cache" in directives(health) and "public" not in directives(health)
