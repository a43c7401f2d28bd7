"""Several sites in one install: each host gets its own site, and the cached lookup
(portal.sites) follows every change an administrator makes to the sites."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from wagtail.models import Site

from tests.conftest import wagtail_root
from tests.factories import BulletinIndexPageFactory, BulletinPageFactory, HomePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune(home):
    """A commune's portal, a second site on its own host."""
    root = HomePageFactory(parent=wagtail_root(), title="Xã Phiêng Lá", slug="xa-phieng-la")
    Site.objects.create(hostname="phiengla.example.vn", port=80, root_page=root, site_name="Xã")
    return root


def title_served(client, host: str) -> str:
    return client.get("/", HTTP_HOST=host).context["page"].title


def test_each_host_is_served_its_own_site(client, home, commune):
    assert title_served(client, "phiengla.example.vn") == "Xã Phiêng Lá"
    assert title_served(client, "localhost") == home.title
    # Again, now from the cache.
    assert title_served(client, "phiengla.example.vn") == "Xã Phiêng Lá"
    assert title_served(client, "unknown.example.vn") == home.title  # the default site


def test_a_changed_site_is_followed_at_once(client, home, commune):
    assert title_served(client, "phiengla.example.vn") == "Xã Phiêng Lá"
    site = Site.objects.get(hostname="phiengla.example.vn")
    site.hostname = "phiengla-cu.example.vn"
    site.save()
    assert title_served(client, "phiengla.example.vn") == home.title
    assert title_served(client, "phiengla-cu.example.vn") == "Xã Phiêng Lá"
    site.delete()
    assert title_served(client, "phiengla-cu.example.vn") == home.title


def test_an_edited_home_page_is_never_served_stale(client, home):
    assert title_served(client, "localhost") == home.title
    home.title = "Trang chủ mới"
    home.save_revision().publish()
    assert title_served(client, "localhost") == "Trang chủ mới"


def test_breadcrumbs_stop_at_the_requested_sites_root(client, home):
    """A department's site lives under the province's home page; its readers' breadcrumbs begin
    at the department's home, not the province's."""
    from tests.factories import BulletinIndexPageFactory, BulletinPageFactory

    department = BulletinIndexPageFactory(parent=home, title="Sở Y tế", slug="so-y-te")
    Site.objects.create(hostname="syt.example.vn", port=80, root_page=department, site_name="SYT")
    news = BulletinIndexPageFactory(parent=department, title="Tin y tế", slug="tin-y-te")
    bulletin = BulletinPageFactory(parent=news, title="Tiêm chủng mở rộng")

    on_department = client.get("/tin-y-te/tiem-chung-mo-rong/", HTTP_HOST="syt.example.vn")
    assert trail(on_department) == ["Trang chủ", "Tin y tế", "Tiêm chủng mở rộng"]
    assert 'href="/"' in breadcrumbs_html(on_department)  # the department's home, on its host

    on_province = client.get("/so-y-te/tin-y-te/tiem-chung-mo-rong/")
    assert trail(on_province) == ["Trang chủ", "Sở Y tế", "Tin y tế", "Tiêm chủng mở rộng"]
    assert bulletin.title in trail(on_province)


def breadcrumbs_html(response) -> str:
    html = response.content.decode()
    start = html.index('<nav class="breadcrumbs"')
    return html[start : html.index("</nav>", start)]


def trail(response) -> list[str]:

    items = breadcrumbs_html(response).split("<li")[1:]
    return [re.sub(r"<[^>]*>", "", "<li" + item).strip() for item in items]


def test_hosts_outside_allowed_hosts_leave_nothing_in_the_cache(client, home, settings):
    from django.core.cache import cache

    settings.ALLOWED_HOSTS = ["localhost"]
    assert client.get("/", HTTP_HOST="made-up.example").status_code == 400
    assert not [key for key in cache._cache if "made-up.example" in key]
    assert client.get("/", HTTP_HOST="localhost").status_code == 200
    assert [key for key in cache._cache if "localhost" in key]


def test_sitemap_feed_and_robots_follow_the_requested_host(client, home, commune):
    """Each host's sitemap index names its own pages and lists that site's pages only; its feed
    and robots.txt are its own too."""
    import xml.etree.ElementTree as ET

    from tests.factories import BulletinIndexPageFactory, BulletinPageFactory

    province_news = BulletinIndexPageFactory(parent=home, title="Tin tỉnh", slug="tin-tinh")
    BulletinPageFactory(parent=province_news, title="Kỳ họp Hội đồng nhân dân tỉnh")
    commune_news = BulletinIndexPageFactory(parent=commune, title="Tin xã", slug="tin-xa")
    BulletinPageFactory(parent=commune_news, title="Xã ra quân làm đường giao thông nông thôn")
    loc = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"

    def listed(host: str) -> set[tuple[str, str]]:
        index = ET.fromstring(client.get("/sitemap.xml", HTTP_HOST=host).content)
        entries = set()
        for section in index.iter(loc):
            address = urlsplit(section.text)
            assert address.hostname == host
            page = client.get(address.path, {"p": "1"}, HTTP_HOST=host)
            for entry in ET.fromstring(page.content).iter(loc):
                entries.add((urlsplit(entry.text).hostname, urlsplit(entry.text).path))
        return entries

    on_commune = listed("phiengla.example.vn")
    assert ("phiengla.example.vn", "/tin-xa/") in on_commune
    assert {host for host, _ in on_commune} == {"phiengla.example.vn"}
    assert not [path for _, path in on_commune if "tin-tinh" in path]
    on_province = listed("localhost")
    assert ("localhost", "/tin-tinh/") in on_province
    assert not [path for _, path in on_province if "tin-xa" in path]

    feed = client.get("/rss/", HTTP_HOST="phiengla.example.vn").content.decode()
    assert "Xã ra quân làm đường" in feed and "Kỳ họp Hội đồng" not in feed
    robots = client.get("/robots.txt", HTTP_HOST="phiengla.example.vn").content.decode()
    assert "http://phiengla.example.vn/sitemap.xml" in robots


def site_nav(response) -> str:
    html = response.content.decode()
    start = html.index('<nav class="site-nav"')
    return html[start : html.index("</nav>", start)]


def test_the_menu_follows_a_site_whose_root_page_changes(client, home, category):
    merged = HomePageFactory(parent=wagtail_root(), title="Tỉnh sau sáp nhập", slug="tinh-moi")
    BulletinIndexPageFactory(parent=merged, title="Tin tỉnh mới", slug="tin-tinh-moi")
    assert category.title in site_nav(client.get("/"))

    site = Site.objects.get(is_default_site=True)
    site.root_page = merged
    site.save()
    response = client.get("/")
    assert response.context["page"].title == "Tỉnh sau sáp nhập"
    nav = site_nav(response)
    assert "Tin tỉnh mới" in nav
    assert category.title not in nav  # /tin-tuc/ is a 404 on this site now


def test_a_new_units_pages_can_be_previewed_before_its_site_is_set_up(admin_client, home):
    # A commune's home page, categories and bulletins are prepared before an administrator
    # adds its site: their previews have no address on any site, and were server errors.
    unit_home = HomePageFactory(parent=wagtail_root(), title="Xã Mường Lói", slug="xa-muong-loi")
    unit_category = BulletinIndexPageFactory(parent=unit_home, title="Tin xã", slug="tin-xa")
    unit_bulletin = BulletinPageFactory(parent=unit_category, title="Họp dân bản Huổi Lóng")
    for page in (unit_home, unit_category, unit_bulletin):
        response = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
        assert response.status_code == 200, page.title
        assert page.title in response.content.decode()
        assert 'rel="canonical"' not in response.content.decode()


def test_topic_links_on_a_site_whose_root_is_a_category_are_reachable(client, home):
    """A department's site has a category as its root, which has no `chu-de/` route: its
    bulletins' topics linked to /chu-de/<slug>/ on the department's host, a 404."""
    department = BulletinIndexPageFactory(parent=home, title="Sở Y tế", slug="so-y-te")
    Site.objects.create(hostname="syt.example.vn", port=80, root_page=department, site_name="SYT")
    news = BulletinIndexPageFactory(parent=department, title="Tin y tế", slug="tin-y-te")
    bulletin = BulletinPageFactory(parent=news, title="Tiêm chủng mở rộng")
    bulletin.topics.add("Y tế cộng đồng")
    bulletin.save_revision().publish()

    response = client.get("/tin-y-te/tiem-chung-mo-rong/", HTTP_HOST="syt.example.vn")
    [link] = response.context["topic_links"]
    assert f'href="{link.url}"' in response.content.decode()
    address = urlsplit(link.url)
    listing = client.get(address.path, HTTP_HOST=address.hostname or "syt.example.vn")
    assert listing.status_code == 200
    assert bulletin.title in listing.content.decode()


def test_a_site_whose_root_is_a_category_links_to_no_missing_sitemap(client, home):
    """The footer linked every site's `so-do-trang/`, a home page's route: a 404 on a
    department's site, whose root is a category."""
    department = BulletinIndexPageFactory(parent=home, title="Sở Y tế", slug="so-y-te")
    Site.objects.create(hostname="syt.example.vn", port=80, root_page=department, site_name="SYT")
    news = BulletinIndexPageFactory(parent=department, title="Tin y tế", slug="tin-y-te")
    BulletinPageFactory(parent=news, title="Tiêm chủng mở rộng")

    html = client.get("/tin-y-te/tiem-chung-mo-rong/", HTTP_HOST="syt.example.vn").content.decode()
    for href in set(re.findall(r'href="(/[^"]*)"', html)):
        if not href.startswith("/static/"):
            assert client.get(href, HTTP_HOST="syt.example.vn").status_code == 200, href
    assert 'href="/so-do-trang/"' in client.get("/").content.decode()  # the province's
