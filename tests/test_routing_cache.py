"""Routing keeps the pages it finds under the site's generation token (portal.routing): a warm
address costs no query, and no change a reader could see is ever served stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from tests.factories import BulletinIndexPageFactory, BulletinPageFactory, HomePageFactory

pytestmark = pytest.mark.django_db


def warm(client, url: str) -> None:
    for _ in range(2):
        assert client.get(url).status_code == 200


def test_a_warm_bulletin_address_is_routed_without_a_query(client, bulletin):
    warm(client, bulletin.url)
    with CaptureQueriesContext(connection) as queries:
        client.get(bulletin.url)
    routing = [q["sql"] for q in queries if "wagtailcore_page" in q["sql"]]
    assert routing == []


def test_a_published_edit_is_served_at_once(client, bulletin):
    warm(client, bulletin.url)
    bulletin.title = "Tiêu đề đã sửa sau khi xuất bản"
    bulletin.save_revision().publish()
    assert "Tiêu đề đã sửa sau khi xuất bản" in client.get(bulletin.url).text


def test_a_live_page_saved_outside_publishing_is_served_at_once(client, bulletin):
    warm(client, bulletin.url)
    bulletin.title = "Tiêu đề sửa bằng lệnh"
    bulletin.save()
    assert "Tiêu đề sửa bằng lệnh" in client.get(bulletin.url).text


def test_a_draft_is_not_served(client, bulletin):
    warm(client, bulletin.url)
    bulletin.title = "Bản nháp chưa duyệt"
    bulletin.save_revision()
    assert "Bản nháp chưa duyệt" not in client.get(bulletin.url).text


def test_an_unpublished_bulletin_is_gone_at_once(client, bulletin):
    warm(client, bulletin.url)
    bulletin.unpublish()
    assert client.get(bulletin.url).status_code == 404


def test_a_new_slug_moves_the_address(client, bulletin):
    old_url = bulletin.url
    warm(client, old_url)
    bulletin.slug = "dia-chi-moi"
    bulletin.save_revision().publish()
    assert client.get(old_url).status_code == 404
    assert client.get("/tin-tuc/dia-chi-moi/").status_code == 200


def test_a_renamed_category_moves_its_bulletins(client, category, bulletin):
    old_url = bulletin.url
    warm(client, old_url)
    category.slug = "thoi-su"
    category.save_revision().publish()
    assert client.get(old_url).status_code == 404
    assert client.get(f"/thoi-su/{bulletin.slug}/").status_code == 200


def test_a_moved_bulletin_is_served_at_its_new_address(client, home, bulletin):
    other = BulletinIndexPageFactory(parent=home, title="Thông báo", slug="thong-bao")
    old_url = bulletin.url
    warm(client, old_url)
    bulletin.move(other, pos="last-child")
    new_url = f"/thong-bao/{bulletin.slug}/"
    # Wagtail leaves a permanent redirect behind a moved page.
    assert client.get(old_url).headers.get("Location") == new_url
    assert client.get(new_url).status_code == 200


def test_a_restriction_applies_to_a_warm_address(client, bulletin):
    warm(client, bulletin.url)
    PageViewRestriction.objects.create(page=bulletin, restriction_type="login")
    assert client.get(bulletin.url).status_code == 302


def test_two_sites_with_the_same_paths_keep_their_own_pages(client, bulletin):
    other_home = HomePageFactory(
        parent=bulletin.get_parent().get_parent().get_parent(), title="Xã Văn Ngân", slug="xa"
    )
    other_category = BulletinIndexPageFactory(parent=other_home, title="Tin xã", slug="tin-tuc")
    other = BulletinPageFactory(parent=other_category, title="Tin của xã", slug=bulletin.slug)
    Site.objects.create(hostname="xa.example.vn", port=80, root_page=other_home)
    warm(client, bulletin.url)
    response = client.get(bulletin.url, HTTP_HOST="xa.example.vn")
    assert response.status_code == 200
    assert "Tin của xã" in response.text
    assert other.title not in client.get(bulletin.url).text
