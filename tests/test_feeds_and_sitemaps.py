"""Feeds, sitemaps, robots.txt and article metadata follow the request's site."""

import datetime
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from wagtail.models import Page

from tests.factories import BulletinIndexPageFactory, BulletinPageFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def bulletins(home, category):
    other = BulletinIndexPageFactory(parent=home, title="Chỉ đạo", slug="chi-dao")
    return [
        BulletinPageFactory(
            parent=category, title="Khởi công đường tỉnh", date=datetime.date(2024, 5, 2)
        ),
        BulletinPageFactory(parent=other, title="Công văn chỉ đạo", date=datetime.date(2024, 6, 1)),
    ]


def test_site_rss_feed_lists_newest_bulletins_first(client, home, bulletins):
    response = client.get("/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["Công văn chỉ đạo", "Khởi công đường tỉnh"]
    assert channel.findtext("language") == "vi"
    first = channel.find("item")
    assert first.findtext("link").endswith(bulletins[1].url)
    assert first.findtext("description") == bulletins[1].lead


def test_category_atom_feed_lists_only_its_bulletins(client, category, bulletins):
    response = client.get(category.url + "atom/")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert titles == ["Khởi công đường tỉnh"]


def test_control_characters_pasted_into_a_bulletin_do_not_break_its_feeds(client, category):
    # XML can't carry them: before, one such title made every feed listing it a 500.
    category.intro = "Tin\x0cđịa phương"
    category.save()
    BulletinPageFactory(
        parent=category, title="Hội\x0bnghị\x01tỉnh", lead="Sapo\x02.", author="Thu\x1bHà"
    )
    for url in ("/rss/", "/atom/", category.url + "rss/", category.url + "atom/"):
        response = client.get(url)
        assert response.status_code == 200, url
        text = ET.tostring(ET.fromstring(response.content), encoding="unicode")
        assert "Hội nghị tỉnh" in text, url
    channel = ET.fromstring(client.get(category.url + "rss/").content).find("channel")
    assert channel.findtext("description") == "Tin địa phương"
    assert channel.find("item").findtext("description") == "Sapo ."


def sitemap_entries(client, **headers) -> list[ET.Element]:
    """Every <url> of the site's sitemap: /sitemap.xml is an index of its pages."""
    index = client.get("/sitemap.xml", **headers)
    assert index.status_code == 200
    entries = []
    for loc in ET.fromstring(index.content).iter(f"{SITEMAP}loc"):
        page = urlsplit(loc.text)
        response = client.get(f"{page.path}?{page.query}", **headers)
        assert response.status_code == 200, loc.text
        entries += ET.fromstring(response.content).findall(f"{SITEMAP}url")
    return entries


def test_the_site_feed_has_the_newest_bulletins_of_all_its_live_categories(home, category):
    """Read per category (each from its own index) and merged: the same bulletins, in the same
    order, as one sort of the whole site would give; ties on the date go to the newer page."""
    from bulletins.models import BulletinPage

    other = BulletinIndexPageFactory(parent=home, title="Chỉ đạo", slug="chi-dao")
    hidden = BulletinIndexPageFactory(parent=home, title="Lưu trữ", slug="luu-tru")
    for number in range(12):
        BulletinPageFactory(
            parent=(category, other, hidden)[number % 3],
            date=datetime.date(2024, 1, 1 + number % 5),
        )
    hidden.unpublish()
    expected = list(
        BulletinPage.objects.live()
        .filter(category__in=[category, other])
        .order_by("-date", "-pk")
        .values_list("pk", flat=True)[:5]
    )
    assert [page.pk for page in home.newest_bulletins(5)] == expected


def test_sitemap_xml_lists_live_pages(client, bulletins):
    urls = {entry.findtext(f"{SITEMAP}loc") for entry in sitemap_entries(client)}
    assert any(url.endswith(bulletins[0].url) for url in urls)
    assert any(url.endswith(bulletins[1].url) for url in urls)


def test_human_sitemap_lists_categories(client, category, bulletins):
    response = client.get("/so-do-trang/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sơ đồ trang" in html and category.title in html and "Chỉ đạo" in html


def test_robots_txt_points_at_the_sitemap(client, home):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_bulletin_has_open_graph_dublin_core_and_canonical(client, bulletins):
    bulletin = bulletins[0]
    html = client.get(bulletin.url).content.decode()
    assert f'<link rel="canonical" href="{bulletin.full_url}">' in html
    assert f'<meta property="og:title" content="{bulletin.title}">' in html
    for name in (
        "DC.title",
        "DC.creator",
        "DC.date",
        "DC.description",
        "DC.publisher",
        "DC.identifier",
        "DC.language",
    ):
        assert f'<meta name="{name}"' in html
    assert '<meta name="DC.date" content="2024-05-02">' in html


# -- feeds and sitemaps read as XML, entry by entry ------------------------------------------

RSS_ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def archive(home, category):
    """Two categories, a bulletin with an ampersand and quotes in its title, and one taken down."""
    other = BulletinIndexPageFactory(parent=home, title="Chỉ đạo - Điều hành", slug="chi-dao")
    published = [
        BulletinPageFactory(
            parent=category,
            title='Hội nghị "Dân vận khéo" & phong trào thi đua',
            date=datetime.date(2024, 3, 1),
            author="Minh Huyền",
        ),
        BulletinPageFactory(
            parent=other, title="Công điện về mưa lũ", date=datetime.date(2024, 3, 5)
        ),
        BulletinPageFactory(
            parent=category, title="Khánh thành cầu", date=datetime.date(2024, 3, 9)
        ),
    ]
    withdrawn = BulletinPageFactory(
        parent=category, title="Tin đã gỡ", date=datetime.date(2024, 3, 20)
    )
    withdrawn.unpublish()
    return {"other": other, "published": published, "withdrawn": withdrawn}


def test_site_rss_feed_is_rss_2_with_every_live_bulletin(client, archive):
    response = client.get("/rss/")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("link").startswith("http://testserver/")
    assert channel.find(f"{RSS_ATOM}link").get("href") == "http://testserver/rss/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [
        "Khánh thành cầu",
        "Công điện về mưa lũ",
        'Hội nghị "Dân vận khéo" & phong trào thi đua',
    ]
    for item, page in zip(items, reversed(archive["published"]), strict=True):
        assert item.findtext("link") == f"http://testserver{page.url}"
        assert item.findtext("guid") == page.full_url
        assert parsedate_to_datetime(item.findtext("pubDate")).date() == page.date
        assert item.findtext("description") == page.lead


def test_category_rss_feed_lists_only_the_categorys_bulletins(client, category, archive):
    channel = ET.fromstring(client.get(category.url + "rss/").content).find("channel")
    assert channel.findtext("title") == category.title
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["Khánh thành cầu", 'Hội nghị "Dân vận khéo" & phong trào thi đua']


def test_site_atom_feed_has_ids_dates_authors_and_a_self_link(client, archive):
    feed = ET.fromstring(client.get("/atom/").content)
    assert feed.tag == f"{ATOM}feed"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == "http://testserver/atom/"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    oldest = entries[-1]
    assert oldest.findtext(f"{ATOM}title") == 'Hội nghị "Dân vận khéo" & phong trào thi đua'
    assert oldest.findtext(f"{ATOM}author/{ATOM}name") == "Minh Huyền"
    assert oldest.findtext(f"{ATOM}id") == archive["published"][0].full_url
    assert oldest.findtext(f"{ATOM}published").startswith("2024-03-01")
    assert "Tin đã gỡ" not in client.get("/atom/").content.decode()


def test_other_category_atom_feed(client, archive):
    other = archive["other"]
    feed = ET.fromstring(client.get(other.url + "atom/").content)
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == [
        "Công điện về mưa lũ"
    ]


def test_sitemap_xml_has_home_categories_and_live_bulletins_with_lastmod(
    client, home, category, archive
):
    entries = {url.findtext(f"{SITEMAP}loc"): url for url in sitemap_entries(client)}
    paths = {urlsplit(loc).path for loc in entries}
    expected = [home, category, archive["other"], *archive["published"]]
    assert {page.url for page in expected} <= paths
    assert archive["withdrawn"].url not in paths
    for loc, url in entries.items():
        if urlsplit(loc).path == archive["published"][0].url:
            assert url.findtext(f"{SITEMAP}lastmod")


def test_sitemap_xml_is_an_index_of_pages_that_list_every_page_once(
    client, home, category, monkeypatch
):
    """However large the archive: each page of the sitemap lists at most `limit` URLs."""
    from home.sitemaps import MultilingualSitemap

    BulletinPageFactory.create_batch(5, parent=category)
    monkeypatch.setattr(MultilingualSitemap, "limit", 3)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    pages = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert [urlsplit(page).path + "?" + urlsplit(page).query for page in pages] == [
        "/sitemap-trang.xml?",
        "/sitemap-trang.xml?p=2",
        "/sitemap-trang.xml?p=3",
    ]
    locations = [entry.findtext(f"{SITEMAP}loc") for entry in sitemap_entries(client)]
    # The home page (with its two routes), the category and the 5 bulletins.
    assert len(locations) == len(set(locations)) == 9
    assert client.get("/sitemap-trang.xml", {"p": "4"}).status_code == 404
    assert client.get("/sitemap-khac.xml").status_code == 404


def test_category_pages_advertise_their_own_feeds(client, category):
    html = client.get(category.url).content.decode()
    assert (
        f'type="application/rss+xml" title="{category.title} (RSS)" href="{category.url}rss/"'
        in html
    )
    assert (
        f'type="application/atom+xml" title="{category.title} (Atom)" href="{category.url}atom/"'
        in html
    )


def test_human_sitemap_links_every_category_and_its_feed(client, home, category, archive):
    html = client.get("/so-do-trang/").content.decode()
    sitemap = re.search(r'<ul class="sitemap">(.*?)</ul>', html, re.S).group(1)
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', sitemap)
    for page in (category, archive["other"]):
        assert (page.url, page.title) in links
        assert (page.url + "rss/", "RSS") in links
    assert ("/", "Trang chủ") in links
    assert ("/chu-de/", "Chủ đề") in links
    assert '<a href="/sitemap.xml">sitemap.xml</a>' in html


def test_a_bulletin_never_published_through_wagtail_sits_in_the_sitemap_beside_others(
    client, home, category
):
    BulletinPageFactory(parent=category, date=datetime.date(2024, 5, 2))
    imported = BulletinPageFactory(parent=category, date=datetime.date(2023, 1, 9))
    # The home page, the category and one bulletin were published in the admin.
    Page.objects.filter(depth__gt=1).update(last_published_at=timezone.now())
    Page.objects.filter(pk=imported.pk).update(
        last_published_at=None, latest_revision_created_at=None
    )
    response = client.get("/sitemap-trang.xml")
    assert response.status_code == 200
    urlset = ET.fromstring(response.content)
    lastmods = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in urlset.findall(f"{SITEMAP}url")
    }
    assert lastmods[imported.full_url] == "2023-01-09"
