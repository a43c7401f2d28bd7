"""Reader pages keep fragments of their templates under the site's generation token
(docs/caching.md, section 4): a change readers should see shows on the next request, previews
are never served from the cache, and languages and sites never share a fragment."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from bulletins.body import bulletin_body
from bulletins.models import BulletinPage
from home.models import PortalSettings
from tests.factories import BulletinPageFactory
from tests.translating import translated

pytestmark = pytest.mark.django_db


def page_text(client, url: str, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def with_lead(bulletin, lead: str):
    bulletin.body = bulletin_body(date=bulletin.date, lead=lead, paragraphs=["Đoạn văn mới."])
    return bulletin


def test_a_published_body_shows_on_the_next_request(client, bulletin):
    page_text(client, bulletin.url)
    with_lead(bulletin, "Sapo sau khi biên tập lại.").save_revision().publish()
    html = page_text(client, bulletin.url)
    assert "Sapo sau khi biên tập lại." in html
    assert "Đoạn văn mới." in html


def test_a_body_saved_outside_publishing_shows_on_the_next_request(client, bulletin):
    page_text(client, bulletin.url)
    with_lead(bulletin, "Sapo sửa bằng lệnh quản trị.").save()
    assert "Sapo sửa bằng lệnh quản trị." in page_text(client, bulletin.url)


def test_a_preview_shows_the_draft_not_the_cached_fragment(client, bulletin):
    page_text(client, bulletin.url)
    draft = with_lead(bulletin, "Sapo của bản nháp đang xem trước.")
    response = draft.make_preview_request()
    assert "Sapo của bản nháp đang xem trước." in response.content.decode()
    assert "Sapo của bản nháp đang xem trước." not in page_text(client, bulletin.url)


def test_a_new_bulletin_shows_on_the_home_page_and_in_suggestions(client, home, category):
    older = BulletinPageFactory(parent=category, title="Tin cũ hơn trong chuyên mục")
    page_text(client, home.url)
    page_text(client, older.url)
    newer = BulletinPageFactory(parent=category, title="Tin vừa đăng trong chuyên mục", live=False)
    newer.save_revision().publish()
    assert "Tin vừa đăng trong chuyên mục" in page_text(client, home.url)
    assert "Tin vừa đăng trong chuyên mục" in page_text(client, older.url)


def test_the_topic_index_is_counted_once_per_publish(client, home, category):
    tagged = BulletinPageFactory(parent=category)
    tagged.topics.add("Giao thông")
    tagged.save_revision().publish()
    assert "Giao thông" in page_text(client, "/chu-de/")
    with CaptureQueriesContext(connection) as queries:
        page_text(client, "/chu-de/")
    assert not [query for query in queries if "bulletins_topic" in query["sql"]]

    newer = BulletinPageFactory(parent=category, live=False)
    newer.topics.add("Y tế")
    newer.save_revision().publish()
    assert "Y tế" in page_text(client, "/chu-de/")


def test_a_changed_footer_shows_on_every_page(client, home, bulletin):
    page_text(client, bulletin.url)
    page_text(client, home.url)
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.address = "Số 1 đường Trường Chinh, phường Đức Xuân"
    settings.save()
    assert "Số 1 đường Trường Chinh" in page_text(client, bulletin.url)
    assert "Số 1 đường Trường Chinh" in page_text(client, home.url)


def test_english_and_vietnamese_pages_keep_their_own_fragments(client, bulletin):
    english = translated(bulletin)
    english.title = "Suspension bridge opened"
    with_lead(english, "An English lead for the bridge.").save_revision().publish()
    vietnamese = page_text(client, bulletin.url)
    english_html = page_text(client, english.url)
    assert "An English lead for the bridge." in english_html
    assert "An English lead for the bridge." not in vietnamese
    assert 'href="/en/so-do-trang/"' in english_html
    assert 'href="/so-do-trang/"' in vietnamese


def test_sites_keep_their_own_footers(client, home, bulletin):
    PortalSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"organisation": "UBND tỉnh"}
    )
    other = Site.objects.create(hostname="xa.example.vn", port=80, root_page=home)
    PortalSettings.objects.update_or_create(site=other, defaults={"organisation": "UBND xã"})
    assert "UBND tỉnh" in page_text(client, bulletin.url)
    assert "UBND xã" in page_text(client, bulletin.url, HTTP_HOST="xa.example.vn")


def test_an_editor_sees_the_database_not_the_cached_fragments(admin_client, bulletin):
    client = Client()  # a reader: `admin_client` is pytest-django's `client`, signed in
    page_text(client, bulletin.url)
    # A change no signal announces: readers keep the fragment for FRAGMENT_CACHE_SECONDS.
    body = bulletin_body(
        date=bulletin.date, lead="Sapo ghi thẳng vào cơ sở dữ liệu.", paragraphs=[]
    )
    BulletinPage.objects.filter(pk=bulletin.pk).update(body=body)
    assert "Sapo ghi thẳng vào cơ sở dữ liệu." not in page_text(client, bulletin.url)
    assert "Sapo ghi thẳng vào cơ sở dữ liệu." in page_text(admin_client, bulletin.url)


def test_each_listing_page_and_archive_filter_keeps_its_own_fragment(client, category):
    for day in range(1, 26):
        BulletinPageFactory(
            parent=category, title=f"Tin ngày {day} tháng 3", date=datetime.date(2024, 3, day)
        )
    BulletinPageFactory(parent=category, title="Tin năm trước", date=datetime.date(2023, 6, 1))
    first = page_text(client, category.url)
    second = page_text(client, category.url + "?page=2")
    last_year = page_text(client, category.url + "?year=2023")
    assert "Tin ngày 25 tháng 3" in first and "Tin ngày 25 tháng 3" not in second
    assert "Tin năm trước" in second and "Tin năm trước" not in first
    assert "Tin năm trước" in last_year and "Tin ngày 25 tháng 3" not in last_year
    # Out of range: the nearest valid page, the same fragment as page 2.
    assert page_text(client, category.url + "?page=99") == second


def test_no_fragment_or_route_is_cached_when_turned_off(client, home, bulletin, settings):
    """FRAGMENT_CACHE_SECONDS=0 renders every part from the database and stores none of it
    (the "every cache off" benchmark of docs/benchmarks.md measures this)."""
    from django.core.cache import cache

    settings.FRAGMENT_CACHE_SECONDS = 0
    cache.clear()
    for url in (home.url, bulletin.get_parent().url, bulletin.url):
        page_text(client, url)
    kept = [key for key in cache._cache if "site-fragment" in key or "portal:route" in key]
    assert kept == [] and not any("portal:site-root" in key for key in cache._cache)
    with_lead(bulletin, "Sapo đổi thẳng trong cơ sở dữ liệu.")
    BulletinPage.objects.filter(pk=bulletin.pk).update(body=bulletin.body)  # no signal
    assert "Sapo đổi thẳng trong cơ sở dữ liệu." in page_text(client, bulletin.url)

    settings.FRAGMENT_CACHE_SECONDS = 600  # and on again: the same pages keep them
    page_text(client, bulletin.url)
    assert any("site-fragment" in key for key in cache._cache)
    assert any("portal:route" in key for key in cache._cache)
