"""Content languages: Vietnamese at the root, English under /en/, languages Django does not
know (Tày) added by settings and one command, and what stays without a prefix."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils.module_loading import import_string
from django.utils.translation import get_language_info
from wagtail.models import Locale

from portal.settings.languages import extend_lang_info, parse_portal_languages
from tests.translating import translated

pytestmark = pytest.mark.django_db


def test_portal_languages_are_read_with_names_for_unknown_ones():
    assert parse_portal_languages(["vi", "en"]) == [("vi", "Tiếng Việt"), ("en", "English")]
    assert parse_portal_languages(["vi", "EN", "vi", "tyz", "xyz:Tiếng Xyz"]) == [
        ("vi", "Tiếng Việt"),
        ("en", "English"),
        ("tyz", "Tày"),
        ("xyz", "Tiếng Xyz"),
    ]
    extend_lang_info([("tyz", "Tày")])
    assert get_language_info("tyz")["name_local"] == "Tày"


def test_default_settings_enable_vietnamese_and_english(settings):
    assert settings.WAGTAIL_I18N_ENABLED is True
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES] == ["vi", "en"]
    assert settings.LANGUAGES == settings.WAGTAIL_CONTENT_LANGUAGES
    assert "wagtail_localize" in settings.INSTALLED_APPS
    assert "wagtail_localize.locales" in settings.INSTALLED_APPS
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


def test_vietnamese_at_the_root_and_english_under_en(client, bulletin):
    english = translated(bulletin)
    assert bulletin.url.startswith("/tin-tuc/")
    assert english.url.startswith("/en/tin-tuc/")
    vietnamese_html = client.get(bulletin.url).content.decode()
    english_response = client.get(english.url)
    assert '<html lang="vi">' in vietnamese_html
    assert english_response.status_code == 200
    assert english_response.context["page"] == english
    assert '<html lang="en">' in english_response.content.decode()
    # The English home and the search page answer under the prefix; "/vi/" is not a prefix.
    assert client.get("/en/").status_code == 200
    assert client.get("/en/tim-kiem/").status_code == 200
    assert client.get("/vi/").status_code == 404


def test_admin_api_sitemap_robots_and_health_stay_unprefixed(client, bulletin):
    translated(bulletin)
    assert client.get("/admin/").status_code == 302  # to the login page
    assert client.get("/api/v2/pages/").status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/robots.txt").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    for path in ("/en/admin/", "/en/api/v2/pages/", "/en/sitemap.xml", "/en/healthz/"):
        assert client.get(path).status_code == 404, path


def test_english_pages_list_english_categories_in_the_menu(client, category):
    english_category = translated(category)
    english_category.title = "News and events"
    english_category.save_revision().publish()
    english_html = client.get("/en/").content.decode()
    vietnamese_html = client.get("/").content.decode()
    assert "News and events" in english_html
    assert "News and events" not in vietnamese_html
    assert category.title in vietnamese_html


@pytest.fixture
def tay_language(settings, tmp_path):
    """PORTAL_LANGUAGES=vi,en,tyz:Tày, with a project locale folder of its own."""
    languages = [("vi", "Tiếng Việt"), ("en", "English"), ("tyz", "Tày")]
    extend_lang_info(languages)
    settings.LANGUAGES = languages
    settings.WAGTAIL_CONTENT_LANGUAGES = languages
    settings.LOCALE_PATHS = [tmp_path]
    return tmp_path


def test_a_language_django_does_not_know_is_added_by_one_command(
    client, home, tay_language, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("add_portal_language", "tyz", stdout=io.StringIO())
    tay = Locale.objects.get(language_code="tyz")
    assert home.has_translation(tay)
    assert (tay_language / "tyz" / "LC_MESSAGES" / "django.mo").exists()
    response = client.get("/tyz/")
    assert response.status_code == 200
    assert '<html lang="tyz">' in response.content.decode()
    # Again: nothing new.
    call_command("add_portal_language", "tyz", stdout=io.StringIO())
    assert Locale.objects.filter(language_code="tyz").count() == 1


def test_a_language_missing_from_settings_is_refused_with_a_message(home):
    with pytest.raises(CommandError, match="PORTAL_LANGUAGES"):
        call_command("add_portal_language", "fr")
    assert not Locale.objects.filter(language_code="fr").exists()


def test_machine_translation_is_off_unless_configured(monkeypatch, settings):
    from portal.settings.languages import machine_translator

    for name in ("DEEPL_API_KEY", "LIBRETRANSLATE_URL", "LIBRETRANSLATE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert machine_translator() is None
    assert settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR is None  # the test environment sets none

    monkeypatch.setenv("LIBRETRANSLATE_URL", "https://libretranslate.example.vn")
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", "khoa-thu")
    assert machine_translator() == {
        "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
        "OPTIONS": {
            "LIBRETRANSLATE_URL": "https://libretranslate.example.vn",
            "API_KEY": "khoa-thu",
        },
    }
    monkeypatch.setenv("DEEPL_API_KEY", "deepl-khoa:fx")
    assert machine_translator() == {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": "deepl-khoa:fx"},
    }
    config = machine_translator()
    translator = import_string(config["CLASS"])(config["OPTIONS"])
    assert "deepl.com" in translator.get_api_endpoint()


def test_switcher_lists_the_live_versions_of_the_page(client, category, bulletin):
    english = translated(bulletin)
    html = client.get(bulletin.url).content.decode()
    assert f'<a href="{english.url}" hreflang="en" lang="en">English</a>' in html
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{english.url}">' in html
    assert f'<link rel="alternate" hreflang="vi" href="http://testserver{bulletin.url}">' in html
    # Readers of any other language are sent to the Vietnamese original, from either version.
    x_default = (
        f'<link rel="alternate" hreflang="x-default" href="http://testserver{bulletin.url}">'
    )
    assert x_default in html
    english_html = client.get(english.url).content.decode()
    assert x_default in english_html
    assert f'<a href="{bulletin.url}" hreflang="vi" lang="vi">Tiếng Việt</a>' in english_html
    assert client.get(english.url).status_code == 200

    # A version taken offline disappears from the switcher: it never links to a 404.
    english.unpublish()
    html = client.get(bulletin.url).content.decode()
    assert 'hreflang="en"' not in html
    assert 'class="language-switcher"' not in html


def test_a_page_without_translations_has_no_switcher(client, bulletin):
    html = client.get(bulletin.url).content.decode()
    assert 'class="language-switcher"' not in html
    assert 'rel="alternate" hreflang' not in html
