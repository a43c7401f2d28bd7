"""The whole editorial path in Debian's Chromium (issue 7, tests): an editor writes a bulletin in
Wagtail's admin and submits it, the head of the editorial board publishes it through the
workflow, and a reader finds it, enlarges the text, prints it and follows the RSS feed."""

import io
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pytest
import wagtail_factories
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from wagtail.models import Collection

from bulletins.models import BulletinPage
from editorial.workflow import APPROVERS, EDITORS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Khánh thành trường mầm non bản Pá Khoang"
LEAD = "Trường mới có sáu phòng học cho hơn một trăm cháu."
AUTHOR = "Thu Trang"
PARAGRAPH = "Ngôi trường được xây bằng nguồn vốn xã hội hóa."
ALT_TEXT = "Các cháu trong lớp học mới"
PASSWORD = "mat-khau-thu-nghiem"
# The admin is slow to build its forms on a shared machine: wait generously, never sleep.
TIMEOUT_MS = 60_000


@pytest.fixture
def root_collection(db):
    """Wagtail's root collection, recreated when a transactional test has flushed the database
    (as `wagtail_root` does for pages): the groups' image permissions hang on it."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


@pytest.fixture
def staff(django_user_model, root_collection):
    call_command("setup_editorial_workflow", stdout=io.StringIO())

    def member(username: str, group: str):
        user = django_user_model.objects.create_user(username, password=PASSWORD)
        user.groups.add(Group.objects.get(name=group))
        return user

    return {"editor": member("bientapvien", EDITORS), "approver": member("truongban", APPROVERS)}


@pytest.fixture
def school_photo(root_collection):
    return wagtail_factories.ImageFactory(title="Lớp học mới Pá Khoang", collection=root_collection)


def admin_page(browser, live_server, username: str):
    """A fresh browser context logged into Wagtail's admin as `username`."""
    context = browser.new_context(locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return page


# Wagtail autosaves a draft while the editor types, and the first autosave creates the page: a
# submit sent while that request is in flight posts the "add" form a second time, and the admin
# refuses it ("slug already in use"). An editor submits once the indicator says "saved"; so does
# the test, and it waits until nothing has changed for a while (three of Wagtail's 500 ms checks)
# so that no autosave is still pending.
AUTOSAVE_SETTLED = """() => {
    const form = document.querySelector("form[data-controller~='w-autosave']");
    if (!form) return true;
    const state = document.querySelector("#w-autosave-indicator")?.dataset.wAutosaveStateValue;
    const settled = state === "saved" && form.action.includes("/edit/")
        && form.dataset.wUnsavedHasEditsValue !== "true";
    if (!settled) { window.autosaveSettledSince = null; return false; }
    window.autosaveSettledSince ??= performance.now();
    return performance.now() - window.autosaveSettledSince > 1500;
}"""


def test_editor_writes_approver_publishes_reader_reads(
    browser, live_server, category, staff, school_photo
):
    editor = admin_page(browser, live_server, "bientapvien")
    editor.goto(f"{live_server.url}/admin/pages/{category.pk}/add_subpage/")
    editor.click("a[href*='/add/bulletins/bulletinpage/']")
    editor.wait_for_load_state("networkidle")
    editor.fill("#id_title", TITLE)
    # The toolbar block (legacy Block_BanTin_Toolbar): a date and the reader's tools.
    editor.fill("#body-0-value-date", "15/11/2025")
    editor.keyboard.press("Escape")
    for tool in ("show_font_size", "show_print", "show_share"):
        editor.check(f"#body-0-value-{tool}")
    # The view-data block (legacy Block_BanTin_ViewData): lead, an image with alt text, author.
    editor.fill("#body-1-value-lead", LEAD)
    editor.fill("#body-1-value-author", AUTHOR)
    editor.click("[data-contentpath='content'] .c-sf-add-button")
    editor.get_by_role("option", name=re.compile(r"^Ảnh")).click()
    editor.click(
        "[data-contentpath='content'] [data-contentpath='image'] [data-chooser-action-choose]"
    )
    editor.locator("a[data-chooser-modal-choice]", has_text=school_photo.title).first.click()
    # The alt text field is there as soon as the block is; the chosen image arrives in the
    # block's hidden input when the modal has closed: wait for it, or the form lacks the image.
    editor.wait_for_function(
        "() => document.querySelector('#body-1-value-content-0-value-image')?.value"
    )
    editor.wait_for_selector("#body-1-value-content-0-value-alt_text")
    editor.fill("#body-1-value-content-0-value-alt_text", ALT_TEXT)
    editor.locator("[data-contentpath='content'] .c-sf-add-button").last.click()
    editor.get_by_role("option", name=re.compile(r"^Đoạn văn")).click()
    paragraph = editor.locator("[data-contentpath='content'] [contenteditable='true']").last
    paragraph.click()
    paragraph.press_sequentially(PARAGRAPH)
    # Draftail copies its text into the form's hidden input a moment later: wait for it, or a
    # quick submit saves an empty paragraph.
    editor.wait_for_function(
        "text => Array.from(document.querySelectorAll("
        "\"input[name^='body-1-value-content-'][name$='-value']\"))"
        ".some(input => input.value.includes(text))",
        arg="xã hội hóa",
    )
    editor.wait_for_function(AUTOSAVE_SETTLED)
    # Wagtail's own transliteration drops Vietnamese letters ("trng-mm-non"); ours folds them.
    assert editor.input_value("#id_slug") == "khanh-thanh-truong-mam-non-ban-pa-khoang"
    # Editors submit; only the head of the editorial board may publish.
    assert editor.locator("button[name='action-publish']").count() == 0
    editor.click("footer [data-w-dropdown-target='toggle']")
    editor.click("button[name='action-submit']")
    try:
        editor.wait_for_url(re.compile(rf"/admin/pages/{category.pk}/$"))
    except PlaywrightTimeoutError:
        # The form came back: say what the admin said, so a failure can be diagnosed.
        errors = editor.locator(".error-message, .help-critical, [role='alert']").all_inner_texts()
        raise AssertionError(f"the bulletin was not submitted: {errors}") from None
    bulletin = BulletinPage.objects.get(title=TITLE)
    assert not bulletin.live
    assert bulletin.current_workflow_state.status == "in_progress"
    editor.context.close()

    approver = admin_page(browser, live_server, "truongban")
    approver.goto(f"{live_server.url}/admin/pages/{bulletin.pk}/edit/")
    approver.wait_for_load_state("networkidle")
    approver.click("footer [data-w-dropdown-target='toggle']")
    approver.click(
        "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    )
    approver.wait_for_url(re.compile(rf"/admin/pages/{category.pk}/$"))
    bulletin.refresh_from_db()
    assert bulletin.live
    approver.context.close()

    reader_context = browser.new_context()
    reader_context.set_default_timeout(TIMEOUT_MS)
    reader = reader_context.new_page()
    reader.goto(live_server.url + category.url, wait_until="networkidle")
    reader.get_by_role("link", name=TITLE).click()
    reader.wait_for_url(live_server.url + bulletin.url)
    assert reader.locator(f"img[alt='{ALT_TEXT}']").count() == 1
    assert reader.get_by_text(LEAD).is_visible()
    assert reader.get_by_text(PARAGRAPH).is_visible()
    assert reader.locator(".article-toolbar time").inner_text() == "15/11/2025"

    size = "parseFloat(getComputedStyle(document.querySelector('#article .article-body')).fontSize)"
    before = reader.evaluate(size)
    reader.get_by_role("button", name="Tăng cỡ chữ").click()
    assert reader.evaluate(size) > before

    reader.emulate_media(media="print")
    assert reader.locator(".site-nav").is_hidden()
    assert reader.locator(".article-toolbar__actions").is_hidden()
    assert reader.locator("#article h1").is_visible()
    assert reader.get_by_text(LEAD).is_visible()
    reader.emulate_media(media="screen")
    assert reader.locator(".site-nav").is_visible()

    feed_href = reader.get_attribute("link[rel='alternate'][type='application/rss+xml']", "href")
    feed = reader_context.request.get(urljoin(reader.url, feed_href))
    assert feed.ok
    assert feed.headers["content-type"].startswith("application/rss+xml")
    items = ET.fromstring(feed.body()).findall("./channel/item")
    assert [item.findtext("title") for item in items] == [TITLE]
    assert items[0].findtext("link").endswith(bulletin.url)
    reader_context.close()
