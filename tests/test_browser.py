"""A reader in Debian's Chromium: A+ enlarges the article text and the choice persists."""

import pytest

from tests.factories import BulletinPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def article_font_size(page) -> float:
    return page.eval_on_selector(
        "#article .article-body", "el => parseFloat(getComputedStyle(el).fontSize)"
    )


def sizes_after_enlarging_twice(page) -> tuple[float, float, float]:
    """The article's font size before "Tăng cỡ chữ", after one press and after two."""
    sizes = [article_font_size(page)]
    for _ in range(2):
        page.get_by_role("button", name="Tăng cỡ chữ").click()
        sizes.append(article_font_size(page))
    return tuple(sizes)


def test_font_size_buttons_enlarge_the_article_and_persist(browser, live_server, category):
    first = BulletinPageFactory(parent=category)
    second = BulletinPageFactory(parent=category)
    page = browser.new_page()
    page.goto(live_server.url + first.url)
    base, once, twice = sizes_after_enlarging_twice(page)
    assert base < once < twice

    page.goto(live_server.url + second.url)
    assert article_font_size(page) == pytest.approx(twice)

    page.get_by_role("button", name="Giảm cỡ chữ").click()
    assert article_font_size(page) == pytest.approx(once)
    for _ in range(20):
        button = page.get_by_role("button", name="Giảm cỡ chữ")
        if button.is_disabled():
            break
        button.click()
    assert article_font_size(page) >= base * 0.79
    page.close()


# Storage blocked (some private modes, site data refused): reading it throws.
NO_STORAGE = """
Object.defineProperty(window, "localStorage", {
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});
"""


def test_font_size_steps_without_local_storage(browser, live_server, category):
    bulletin = BulletinPageFactory(parent=category)
    context = browser.new_context()
    context.add_init_script(NO_STORAGE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + bulletin.url)
    base, once, twice = sizes_after_enlarging_twice(page)
    context.close()
    assert not errors
    assert base < once < twice, (base, once, twice)


def test_search_box_suggests_titles_typed_without_diacritics(browser, live_server, category):
    wanted = BulletinPageFactory(parent=category, title="Bắc Kạn khánh thành cầu treo")
    BulletinPageFactory(parent=category, title="Hội nghị tổng kết công tác năm")
    page = browser.new_page()
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name="Tìm kiếm tin bài")
    box.fill("bac kan")
    option = page.get_by_role("option", name="Bắc Kạn khánh thành cầu treo")
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("option").count() == 1

    box.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    box.press("Enter")
    page.wait_for_url(live_server.url + wanted.url)
