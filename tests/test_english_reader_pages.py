"""A reader on /en/ stays in English (issue 6, readers): the menu, the header and footer
links, breadcrumbs, topics, the human sitemap and the feeds lead to English pages where they
exist and to the Vietnamese original otherwise (never a 404); sitemap.xml lists every language
with hreflang alternates."""

import re
import xml.etree.ElementTree as ET

import pytest

from tests.factories import BulletinIndexPageFactory, BulletinPageFactory
from tests.test_feeds_and_sitemaps import sitemap_entries
from tests.translating import translated

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"


def retitled(page, title: str):
    page.title = title
    page.save_revision().publish()
    return page


@pytest.fixture
def bilingual(home, category, bulletin):
    """News translated into English; "Chỉ đạo điều hành" left in Vietnamese only."""
    untranslated = BulletinIndexPageFactory(parent=home, title="Chỉ đạo điều hành", slug="chi-dao")
    BulletinPageFactory(parent=untranslated, title="Công điện về mưa lũ")
    english_bulletin = retitled(translated(bulletin), "Suspension bridge opened")
    english_category = retitled(english_bulletin.get_parent().specific, "News and events")
    english_home = english_category.get_parent().specific
    return {
        "home": home,
        "category": category,
        "bulletin": bulletin,
        "untranslated": untranslated,
        "english_home": english_home,
        "english_category": english_category,
        "english_bulletin": english_bulletin,
    }


def links(html: str, css_class: str) -> list[str]:
    """The <a> tags inside the first element with `css_class`."""
    block = re.search(rf'class="{css_class}"[^>]*>(.*?)</(?:nav|ul|header|footer)>', html, re.S)
    assert block, css_class
    return re.findall(r"<a [^>]*>[^<]*</a>", block.group(1))


def test_english_menu_links_translations_and_falls_back_to_the_original(client, bilingual):
    html = client.get(bilingual["english_bulletin"].url).content.decode()
    menu = links(html, "site-nav")
    assert menu[0] == '<a href="/en/">Home</a>'
    english_category = bilingual["english_category"]
    assert f'<a href="{english_category.url}" aria-current="page">News and events</a>' in menu
    untranslated = bilingual["untranslated"]
    assert f'<a href="{untranslated.url}" hreflang="vi" lang="vi">{untranslated.title}</a>' in menu
    # The Vietnamese menu is untouched (cached per language, not shared).
    vietnamese = links(client.get(bilingual["bulletin"].url).content.decode(), "site-nav")
    assert f'<a href="{bilingual["category"].url}" aria-current="page">' in "".join(vietnamese)
    assert "News and events" not in "".join(vietnamese)
    for link in menu:
        assert client.get(re.search(r'href="([^"]+)"', link).group(1)).status_code == 200


def test_a_translation_taken_offline_falls_back_to_the_original_in_the_menu(client, bilingual):
    bilingual["english_category"].unpublish()
    menu = "".join(links(client.get("/en/").content.decode(), "site-nav"))
    category = bilingual["category"]
    assert f'<a href="{category.url}" hreflang="vi" lang="vi">{category.title}</a>' in menu


def test_english_header_footer_and_feed_links_stay_in_english(client, bilingual):
    html = client.get(bilingual["english_bulletin"].url).content.decode()
    assert '<a class="site-title" href="/en/">' in html
    assert 'type="application/rss+xml" title="Latest news (RSS)" href="/en/rss/"' in html
    assert 'type="application/atom+xml" title="Latest news (Atom)" href="/en/atom/"' in html
    assert '<a href="/en/so-do-trang/">Site map</a> · <a href="/en/rss/">RSS</a>' in html
    vietnamese = client.get(bilingual["bulletin"].url).content.decode()
    assert '<a class="site-title" href="/">' in vietnamese
    assert 'href="/rss/"' in vietnamese and 'href="/en/rss/"' not in vietnamese


def test_english_breadcrumbs_and_topics_lead_to_english_pages(client, bilingual):
    english = bilingual["english_bulletin"]
    english.topics.add("Giao thông")
    english.save_revision().publish()
    html = client.get(english.url).content.decode()
    crumbs = links(html, "breadcrumbs")
    assert crumbs == [
        '<a href="/en/">Home</a>',
        f'<a href="{bilingual["english_category"].url}">News and events</a>',
    ]
    assert '<a href="/en/chu-de/giao-thong/" rel="tag">Giao thông</a>' in html
    assert '<nav class="article-topics" aria-label="Topics of this article">' in html
    listing = client.get("/en/chu-de/giao-thong/")
    assert listing.status_code == 200
    assert "Suspension bridge opened" in listing.content.decode()


def test_english_feeds_list_english_bulletins(client, bilingual):
    english_category = bilingual["english_category"]
    channel = ET.fromstring(client.get(english_category.url + "rss/").content).find("channel")
    assert channel.findtext("language") == "en"
    assert channel.findtext("title") == "News and events"
    assert [item.findtext("title") for item in channel.findall("item")] == [
        "Suspension bridge opened"
    ]
    assert channel.find("item").findtext("link").endswith(bilingual["english_bulletin"].url)

    atom = ET.fromstring(client.get("/en/atom/").content)
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    titles = [entry.findtext(f"{ATOM}title") for entry in atom.findall(f"{ATOM}entry")]
    assert titles == ["Suspension bridge opened"]

    vietnamese = ET.fromstring(client.get("/rss/").content).find("channel")
    assert vietnamese.findtext("language") == "vi"
    assert "Suspension bridge opened" not in [i.findtext("title") for i in vietnamese.iter("item")]


def test_sitemap_xml_lists_every_language_with_hreflang_alternates(client, bilingual):
    entries = {url.findtext(f"{SITEMAP}loc"): url for url in sitemap_entries(client)}

    def full(page):
        return page.full_url  # the site's own hostname, as Wagtail's sitemap writes it

    for name in ("home", "category", "bulletin", "untranslated"):
        assert full(bilingual[name]) in entries, name
    for name in ("english_home", "english_category", "english_bulletin"):
        assert full(bilingual[name]) in entries, name

    pairs = [("home", "english_home"), ("bulletin", "english_bulletin")]
    for vietnamese, english in pairs:
        expected = {
            ("en", full(bilingual[english])),
            ("vi", full(bilingual[vietnamese])),
            ("x-default", full(bilingual[vietnamese])),  # for readers of any other language
        }
        for loc in (full(bilingual[vietnamese]), full(bilingual[english])):
            alternates = {
                (link.get("hreflang"), link.get("href"))
                for link in entries[loc].findall(f"{XHTML}link")
            }
            assert all(
                link.get("rel") == "alternate" for link in entries[loc].findall(f"{XHTML}link")
            )
            assert alternates == expected, loc
    # A page in one language only has no alternates.
    assert entries[full(bilingual["untranslated"])].findall(f"{XHTML}link") == []


def test_english_human_sitemap_lists_english_and_untranslated_categories(client, bilingual):
    response = client.get("/en/so-do-trang/")
    assert response.status_code == 200
    html = response.content.decode()
    english_category = bilingual["english_category"]
    assert (
        f'<a href="{english_category.url}">News and events</a> · '
        f'<a href="{english_category.url}rss/">RSS</a>' in html
    )
    untranslated = bilingual["untranslated"]
    assert f'<a href="{untranslated.url}" hreflang="vi" lang="vi">{untranslated.title}</a>' in html
    assert '<a href="/en/chu-de/">Topics</a>' in html
    assert '<a href="/en/tim-kiem/">Search</a>' in html
    # The Vietnamese sitemap lists its own categories only.
    assert "chưa có bản dịch" not in client.get("/so-do-trang/").content.decode()


def test_english_bulletin_interface_is_in_english(client, bilingual, category):
    translated(BulletinPageFactory(parent=category, title="Tin khác của tỉnh"))
    english = bilingual["english_bulletin"]
    html = client.get(english.url).content.decode()
    for text in (
        ">High contrast</button>",
        ">Copy link</button>",
        'data-label-stop="Stop listening"',
        ">Listen</button>",
        "Share on Facebook",
        "(opens in a new window)",
        "Views:",
        ">Related news</h2>",
    ):
        assert text in html, text
    for text in ("Tương phản cao", "Sao chép liên kết", "Lượt xem", "Chia sẻ", "Tin liên quan"):
        assert text not in html, text


def test_english_404_leads_back_to_the_english_home(client, bilingual):
    response = client.get("/en/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert 'Go back to the <a href="/en/">home page</a>' in html
    vietnamese = client.get("/khong-co-trang-nay/").content.decode()
    assert 'Hãy quay về <a href="/">trang chủ</a>' in vietnamese


def test_routes_of_a_home_page_keep_their_own_canonical_and_language_links(client, bilingual):
    english_home = bilingual["english_home"]
    html = client.get("/en/so-do-trang/").content.decode()
    assert f'<link rel="canonical" href="{english_home.full_url}so-do-trang/">' in html
    assert '<a href="/so-do-trang/" hreflang="vi" lang="vi">Tiếng Việt</a>' in html
    assert '<link rel="alternate" hreflang="vi" href="http://testserver/so-do-trang/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/so-do-trang/">' in html
    assert client.get("/so-do-trang/").status_code == 200
    # The home page itself is unchanged.
    home_html = client.get("/en/").content.decode()
    assert f'<link rel="canonical" href="{english_home.full_url}">' in home_html
    assert '<a href="/" hreflang="vi" lang="vi">Tiếng Việt</a>' in home_html


def test_results_in_another_language_carry_their_lang(client, category):
    vietnamese = BulletinPageFactory(parent=category, title="Hội nghị du lịch Bắc Kạn", lead="")
    english_category = translated(category)
    BulletinPageFactory(
        parent=english_category,
        title="Bac Kan tourism conference",
        lead="",
        locale=english_category.locale,
    )
    response = client.get("/en/tim-kiem/", {"q": "bac kan", "ngon_ngu": ""})
    html = response.content.decode()
    results = re.findall(r'<article class="bulletin-card search-result"([^>]*)>', html)
    assert sorted(results) == [' lang="en"', ' lang="vi"']
    assert {page.pk for page in response.context["search_results"]} >= {vietnamese.pk}


def test_without_an_english_home_the_menu_marks_its_vietnamese_sections(client, category):
    response = client.get("/en/tim-kiem/")
    assert response.status_code == 200
    menu = "".join(links(response.content.decode(), "site-nav"))
    assert f'<a href="{category.url}" hreflang="vi" lang="vi">{category.title}</a>' in menu
    assert '<a href="/">Home</a>' in menu


def test_robots_txt_keeps_every_languages_search_out(client, home):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /tim-kiem/" in lines
    assert "Disallow: /en/tim-kiem/" in lines


def test_sitemap_xml_lists_the_home_pages_routes_in_each_language(client, bilingual):
    entries = {url.findtext(f"{SITEMAP}loc"): url for url in sitemap_entries(client)}
    vietnamese_home, english_home = bilingual["home"].full_url, bilingual["english_home"].full_url
    for route in ("so-do-trang/", "chu-de/"):
        expected = {("vi", vietnamese_home + route), ("en", english_home + route)}
        for _language, loc in expected:
            alternates = {
                (link.get("hreflang"), link.get("href"))
                for link in entries[loc].findall(f"{XHTML}link")
            }
            assert alternates == expected | {("x-default", vietnamese_home + route)}, loc
        assert client.get(f"/en/{route}").status_code == 200


def test_english_search_counts_one_result_in_the_singular(client, category):
    english = translated(BulletinPageFactory(parent=category, title="Cầu treo Khê Lâm"))
    english.title = "Suspension bridge opened"
    english.save_revision().publish()
    html = client.get("/en/tim-kiem/", {"q": "bridge"}).content.decode()
    assert "1 result for “bridge”." in html
    assert "1 results" not in html
    vietnamese = client.get("/tim-kiem/", {"q": "Khê Lâm"}).content.decode()
    assert "Tìm thấy 1 kết quả cho “Khê Lâm”." in vietnamese
