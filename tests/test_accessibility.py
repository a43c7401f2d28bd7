"""WCAG 2.1 AA on reader pages (issue 7, item 5): axe-core in Debian's Chromium finds no serious
or critical violation on every reader page type, in normal and high-contrast mode; a skip link,
keyboard use and a visible focus."""

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from wagtail.documents.models import Document
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from bulletins.body import bulletin_body, stream_block
from bulletins.models import BulletinIndexPage
from tests.factories import BulletinIndexPageFactory, BulletinPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Reader languages axe checks: Vietnamese at the root, English under /en/ (`reader_pages`
# translates the Vietnamese pages for any language other than "vi").
READER_LANGUAGES = ["vi", "en"]
# The high-contrast switch's name in each language (the interface is translated).
CONTRAST_SWITCH = {"vi": "Tương phản cao", "en": "High contrast"}
BLOCKING_IMPACTS = {"serious", "critical"}
# axe 4's WCAG 2.0/2.1 A and AA rules, plus its best practices (landmarks, heading order...).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
SEARCH_WORD = "cầu treo"
TOPIC = "Giao thông nông thôn"
NOT_FOUND = "not-found"  # the one reader page answered with 404


def every_block_body() -> list[dict]:
    """A bulletin body holding one block of every kind an editor can add."""
    image = wagtail_factories.ImageFactory(title="Hội nghị")
    document = Document.objects.create(title="Kế hoạch số 12/KH-UBND")
    document.file.save("ke-hoach-12.pdf", ContentFile(b"%PDF-1.4"))
    embed_url = "https://www.youtube.com/watch?v=thu-nghiem"
    # Stored, so nothing is fetched; the frame stays on the test's own origin.
    Embed.objects.get_or_create(
        hash=get_embed_hash(embed_url),
        defaults={
            "url": embed_url,
            "type": "video",
            "html": '<iframe src="about:blank" title="Video hội nghị" width="560" '
            'height="315"></iframe>',
        },
    )
    body = bulletin_body(
        date=None,
        lead="Tỉnh khánh thành cầu treo cho bà con vùng cao.",
        paragraphs=["Sáng nay, cầu treo mới chính thức đưa vào sử dụng."],
        author="Minh Huyền",
    )
    content = body[1]["value"]["content"]
    content += [
        stream_block("heading", {"text": "Kết quả thi công", "level": "h2"}),
        stream_block(
            "image",
            {"image": image.pk, "alt_text": "Cầu treo mới", "caption": "Cầu mới", "credit": ""},
        ),
        stream_block("quote", {"text": "Cầu vững, dân vui.", "attribution": "Trưởng bản"}),
        stream_block(
            "table",
            {
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": "Kinh phí",
                "data": [["Hạng mục", "Tỷ đồng"], ["Cầu", "5"], ["Đường dẫn", "2"]],
            },
        ),
        stream_block("embed", embed_url),
        stream_block("document", {"document": document.pk, "title": ""}),
    ]
    return body


@pytest.fixture
def vietnamese_pages(home, category, monkeypatch):
    # Short pages, so that the category page shows its pagination.
    monkeypatch.setattr(BulletinIndexPage, "bulletins_per_page", 5)
    bulletin = BulletinPageFactory(
        parent=category, title="Khánh thành cầu treo bản Nà Làng", body=every_block_body()
    )
    bulletin.topics.add(TOPIC)
    bulletin.save_revision().publish()
    BulletinIndexPageFactory(parent=home, title="Chỉ đạo điều hành", slug="chi-dao")
    for _ in range(12):
        BulletinPageFactory(parent=category, title=f"Cầu treo và đường giao thông {_ + 1}")
    return {"home": home, "category": category, "bulletin": bulletin}


@pytest.fixture
def reader_pages(request, vietnamese_pages):
    """The reader pages in the language under test (Vietnamese pages, or their translation)."""
    language = request.param
    if language == "vi":
        return vietnamese_pages
    from wagtail.models import Locale

    locale, _ = Locale.objects.get_or_create(language_code=language)
    translated = {}
    for name, page in vietnamese_pages.items():
        copy = page.copy_for_translation(locale, copy_parents=True)
        copy.save_revision().publish()
        translated[name] = copy
    return translated


def reader_urls(pages) -> dict[str, str]:
    home_url = pages["home"].url
    # The search page's address in the pages' language (prefixed once i18n_patterns serve it).
    with translation.override(pages["home"].locale.language_code):
        search_url = reverse("search")
    return {
        "home": home_url,
        "category": pages["category"].url,
        "bulletin": pages["bulletin"].url,
        "search": f"{search_url}?q={SEARCH_WORD}",
        "search-empty": f"{search_url}?q=khongcotukhoanay",
        "sitemap": f"{home_url}so-do-trang/",
        "topics": f"{home_url}chu-de/",
        "topic": f"{home_url}chu-de/giao-thong-nong-thon/",
        NOT_FOUND: f"{home_url}khong-co-trang-nay/",
    }


def blocking_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.fixture
def reader(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.mark.parametrize("reader_pages", READER_LANGUAGES, indirect=True)
@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
def test_axe_finds_no_serious_violation_on_reader_pages(
    reader, live_server, reader_pages, high_contrast
):
    language = reader_pages["home"].locale.language_code
    found = {}
    for name, url in reader_urls(reader_pages).items():
        response = reader.goto(live_server.url + url)
        assert response.status == (404 if name == NOT_FOUND else 200), url
        assert reader.get_attribute("html", "lang") == language
        if high_contrast and name == "home":
            reader.get_by_role("button", name=CONTRAST_SWITCH[language]).click()
        if high_contrast:
            assert "high-contrast" in reader.get_attribute("html", "class")
        if violations := blocking_violations(reader):
            found[name] = violations
    assert found == {}


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {
                tag: el.tagName.toLowerCase(),
                id: el.id,
                name: (el.getAttribute("aria-label") || el.textContent || "").trim(),
                rel: el.getAttribute("rel") || "",
                outline: getComputedStyle(el).outlineStyle,
            };
        }"""
    )


def tab_until(page, wanted, limit: int = 80) -> dict:
    """Press Tab until the focused element matches `wanted`; fail after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if wanted(element):
            return element
    raise AssertionError(f"Tab never reached the element wanted; last focused: {element}")


def test_skip_link_is_first_and_moves_focus_to_main(reader, live_server, vietnamese_pages):
    reader.goto(live_server.url + vietnamese_pages["bulletin"].url)
    reader.keyboard.press("Tab")
    first = focused(reader)
    assert first["name"] == "Bỏ qua để đến nội dung chính"
    assert reader.get_by_role("link", name="Bỏ qua để đến nội dung chính").is_visible()
    reader.keyboard.press("Enter")
    reader.wait_for_function("document.activeElement.id === 'main'")
    # The next Tab goes on from the article, not from the header.
    reader.keyboard.press("Tab")
    assert reader.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_keyboard_reaches_search_font_size_and_pagination(reader, live_server, vietnamese_pages):
    reader.goto(live_server.url + vietnamese_pages["bulletin"].url)
    search = tab_until(reader, lambda el: el["id"] == "search-q")
    assert search["outline"] != "none"
    contrast = tab_until(reader, lambda el: el["name"] == "Tương phản cao")
    assert contrast["outline"] != "none"
    tab_until(reader, lambda el: el["name"] == "Giảm cỡ chữ")
    larger = tab_until(reader, lambda el: el["name"] == "Tăng cỡ chữ")
    assert larger["outline"] != "none"
    size = "parseFloat(getComputedStyle(document.querySelector('.article-body')).fontSize)"
    before = reader.evaluate(size)
    reader.keyboard.press("Enter")
    assert reader.evaluate(size) > before

    reader.goto(live_server.url + vietnamese_pages["category"].url)
    link = tab_until(reader, lambda el: el["rel"] == "next")
    assert link["outline"] != "none"
    reader.keyboard.press("Enter")
    reader.wait_for_url("**page=2")


def test_focused_link_has_a_visible_outline(reader, live_server, vietnamese_pages):
    reader.goto(live_server.url + vietnamese_pages["home"].url)
    link = tab_until(reader, lambda el: el["tag"] == "a" and el["name"] == "Trang chủ")
    assert link["outline"] == "solid"
    width = reader.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert width >= 2


def test_high_contrast_switch_is_remembered_across_pages(reader, live_server, vietnamese_pages):
    reader.goto(live_server.url + vietnamese_pages["home"].url)
    switch = reader.get_by_role("button", name="Tương phản cao")
    assert switch.get_attribute("aria-pressed") == "false"
    switch.click()
    assert "high-contrast" in reader.get_attribute("html", "class")
    assert switch.get_attribute("aria-pressed") == "true"
    background = "getComputedStyle(document.body).backgroundColor"
    assert reader.evaluate(background) == "rgb(0, 0, 0)"

    reader.goto(live_server.url + vietnamese_pages["bulletin"].url)
    assert "high-contrast" in reader.get_attribute("html", "class")
    switch = reader.get_by_role("button", name="Tương phản cao")
    assert switch.get_attribute("aria-pressed") == "true"
    switch.click()
    assert "high-contrast" not in (reader.get_attribute("html", "class") or "")
    reader.goto(live_server.url + vietnamese_pages["category"].url)
    assert "high-contrast" not in (reader.get_attribute("html", "class") or "")
    assert reader.evaluate(background) == "rgb(255, 255, 255)"


def test_reader_pages_have_no_inline_scripts_handlers_or_styles(client, vietnamese_pages):
    """A Content-Security-Policy without 'unsafe-inline' is coming: nothing inline."""
    import re

    for url in reader_urls(vietnamese_pages).values():
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert not re.search(r"<style\b|\sstyle\s*=", html), url


@pytest.fixture
def bilingual_bulletin(vietnamese_pages):
    from wagtail.models import Locale

    english = Locale.objects.get_or_create(language_code="en")[0]
    bulletin = vietnamese_pages["bulletin"]
    copy = bulletin.copy_for_translation(english, copy_parents=True)
    copy.save_revision().publish()
    return {"vi": bulletin, "en": copy}


def test_language_switcher_is_styled_focusable_and_high_contrast(
    reader, live_server, bilingual_bulletin
):
    reader.goto(live_server.url + bilingual_bulletin["vi"].url)
    switcher = reader.locator(".language-switcher")
    assert switcher.is_visible()
    style = """([selector, property]) => getComputedStyle(document.querySelector(selector))
        .getPropertyValue(property)"""
    assert reader.evaluate(style, [".language-switcher ul", "list-style-type"]) == "none"
    assert reader.evaluate(style, [".language-switcher ul", "display"]) == "flex"
    link = ".language-switcher a[hreflang='en']"
    assert reader.evaluate(style, [link, "color"]) == "rgb(255, 255, 255)"
    current = ".language-switcher [aria-current]"
    assert reader.evaluate(style, [current, "font-weight"]) == "700"
    assert reader.evaluate(style, [current, "border-top-style"]) == "solid"

    english = tab_until(reader, lambda el: el["tag"] == "a" and el["name"] == "English")
    assert english["outline"] == "solid"
    assert reader.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)") >= 2
    reader.keyboard.press("Enter")
    reader.wait_for_url("**" + bilingual_bulletin["en"].url)
    assert reader.get_attribute("html", "lang") == "en"

    reader.get_by_role("button", name="High contrast").click()
    assert reader.evaluate(style, [".language-switcher a[hreflang='vi']", "color"]) == (
        "rgb(255, 255, 0)"
    )
    assert reader.evaluate(style, [current, "border-top-color"]) == "rgb(255, 255, 255)"
