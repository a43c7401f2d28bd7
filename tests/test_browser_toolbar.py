"""The bulletin toolbar in Debian's Chromium: copying the link says so in Vietnamese, and the
"Nghe" button appears only where the browser has a voice in the article's language."""

import pytest

from tests.factories import BulletinPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser's speech synthesis, replaced by a recorder with the voices given: what Chromium
# has installed differs between machines.
FAKE_SPEECH = """
(voices) => {
  window.__spoken = [];
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  const synth = {
    speaking: false, pending: false,
    getVoices: () => voices,
    speak(utterance) { window.__spoken.push(utterance.text); this.speaking = true; },
    cancel() { this.speaking = false; },
    addEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: synth });
}
"""


def open_bulletin(browser, live_server, bulletin, voices, **context_options):  # noqa: F811
    context = browser.new_context(**context_options)
    voices_json = ", ".join(f'{{"lang": "{lang}", "name": "{lang}"}}' for lang in voices)
    context.add_init_script(f"({FAKE_SPEECH})([{voices_json}])")
    page = context.new_page()
    page.goto(live_server.url + bulletin.url)
    return context, page


def test_copy_link_copies_the_address_and_announces_it(browser, live_server, category):  # noqa: F811
    bulletin = BulletinPageFactory(parent=category)
    context, page = open_bulletin(
        browser,
        live_server,
        bulletin,
        voices=[],
        permissions=["clipboard-read", "clipboard-write"],
    )
    page.get_by_role("button", name="Sao chép liên kết").click()
    status = page.get_by_role("status")
    status.filter(has_text="Đã sao chép liên kết bài viết.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.get_by_role("button", name="Sao chép liên kết").get_attribute("data-url")
    assert copied.endswith(bulletin.url)
    context.close()


def test_listen_button_stays_hidden_without_a_vietnamese_voice(browser, live_server, category):  # noqa: F811
    bulletin = BulletinPageFactory(parent=category)
    context, page = open_bulletin(browser, live_server, bulletin, voices=["en-US", "fr-FR"])
    page.wait_for_load_state("load")
    assert page.locator("[data-action='listen']").is_hidden()
    context.close()


def test_listen_reads_the_article_aloud_with_a_vietnamese_voice(browser, live_server, category):  # noqa: F811
    bulletin = BulletinPageFactory(parent=category)
    context, page = open_bulletin(browser, live_server, bulletin, voices=["en-US", "vi-VN"])
    listen = page.get_by_role("button", name="Nghe")
    listen.click()
    stop = page.get_by_role("button", name="Dừng nghe")
    assert stop.get_attribute("aria-pressed") == "true"
    spoken = page.evaluate("window.__spoken")
    assert spoken[0] == bulletin.title
    assert bulletin.lead in spoken
    stop.click()
    assert page.get_by_role("button", name="Nghe").get_attribute("aria-pressed") == "false"
    context.close()


def test_english_bulletin_listens_with_an_english_voice_only(browser, live_server, category):  # noqa: F811
    from wagtail.models import Locale

    english_locale = Locale.objects.get_or_create(language_code="en")[0]
    bulletin = BulletinPageFactory(parent=category)
    english = bulletin.copy_for_translation(english_locale, copy_parents=True)
    english.title = "Suspension bridge opened"
    english.save_revision().publish()

    context, page = open_bulletin(browser, live_server, english, voices=["vi-VN"])
    page.wait_for_load_state("load")
    assert page.locator("[data-action='listen']").is_hidden()
    context.close()

    context, page = open_bulletin(browser, live_server, english, voices=["vi-VN", "en-GB"])
    page.get_by_role("button", name="Listen").click()
    stop = page.get_by_role("button", name="Stop listening")
    assert stop.get_attribute("aria-pressed") == "true"
    assert page.evaluate("window.__spoken")[0] == "Suspension bridge opened"
    assert page.get_by_role("button", name="Copy link").is_visible()
    context.close()
