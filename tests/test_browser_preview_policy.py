"""In Debian's Chromium, under the production Content-Security-Policy: the editor's live preview
shows the page in the side panel. With the reader policy (`frame-ancestors 'none'`) the browser
refused to show it there; the preview now gets the admin's policy (portal.csp)."""

import re

import pytest

from tests.test_content_security_policy import csp  # noqa: F401  (the production policies)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem"


def test_the_preview_panel_shows_the_bulletin(
    csp,  # noqa: F811
    browser,
    live_server,
    bulletin,
    django_user_model,
):
    django_user_model.objects.create_superuser("quantri", "quantri@example.org", PASSWORD)
    context = browser.new_context(locale="vi-VN")
    context.set_default_timeout(60_000)  # the admin builds its forms slowly on a shared machine
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "quantri")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto(f"{live_server.url}/admin/pages/{bulletin.pk}/edit/")
    page.locator("[data-side-panel-toggle='preview']").first.click()
    title = page.frame_locator("#w-preview-iframe").locator("h1.article__title")
    title.wait_for(timeout=30_000)
    assert title.inner_text() == bulletin.title
    context.close()
