"""A translator in Debian's Chromium translates a bulletin into English in wagtail-localize's
editor and publishes it; the reader's language switcher then leads to the English page."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.users.models import UserProfile

from tests.translating import translated
from translations.roles import TRANSLATORS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_translator_publishes_english_and_the_switcher_leads_there(
    browser,  # noqa: F811
    live_server,
    bulletin,
    django_user_model,
):
    english = translated(bulletin)  # the translation wagtail-localize starts, still Vietnamese
    call_command("setup_translator_role", stdout=io.StringIO())
    user = django_user_model.objects.create_user("biendich", password="matkhau-dich")
    user.groups.add(Group.objects.get(name=TRANSLATORS))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the editor's buttons in English
    profile.save()

    page = browser.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "biendich")
    page.fill("input[name=password]", "matkhau-dich")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/pages/{english.pk}/edit/")
    title_segment = page.locator("li", has=page.locator(".title", has_text=bulletin.title))
    title_segment.get_by_role("button", name="Translate").first.click()
    title_segment.locator("textarea").fill("Provincial news in English")
    title_segment.get_by_role("button", name="Save").click()
    page.get_by_text("Provincial news in English").first.wait_for()
    page.get_by_role("button", name="Publish in English").click()
    page.wait_for_load_state()

    page.goto(live_server.url + bulletin.url)
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"**{english.url}")
    assert page.locator("h1").inner_text() == "Provincial news in English"
    assert page.locator("html").get_attribute("lang") == "en"
    page.close()
