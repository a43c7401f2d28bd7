"""Feeds, sitemaps, robots.txt and article metadata follow the request's site."""

import datetime
import xml.etree.ElementTree as ET

import pytest

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


def test_sitemap_xml_lists_live_pages(client, bulletins):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = {
        loc.text
        for loc in ET.fromstring(response.content).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    }
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
