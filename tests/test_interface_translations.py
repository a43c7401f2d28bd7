"""The reader interface in English: every string the templates and code mark for translation
(their sources are Vietnamese) has an English translation, and the compiled catalogue matches.

`make lint` runs this file; after changing interface strings run `make messages` and fill in
locale/en/LC_MESSAGES/django.po.
"""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

PROJECT = Path(settings.BASE_DIR)
EN_PO = PROJECT / "locale" / "en" / "LC_MESSAGES" / "django.po"
EN_MO = EN_PO.with_suffix(".mo")
# What makemessages reads: the project's own code and templates (not .venv, not the tests).
SOURCES = ("portal", "home", "bulletins", "search", "editorial", "background", "translations")


def test_english_catalogue_is_complete_and_compiled():
    catalogue = polib.pofile(str(EN_PO))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"msgid chưa dịch trong {EN_PO}: {untranslated}"
    assert not fuzzy, f"msgid còn đánh dấu fuzzy: {fuzzy}"
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(EN_MO)) if entry.msgid}
    expected = {entry.msgid: entry.msgstr for entry in catalogue.translated_entries()}
    assert compiled == expected, "django.mo cũ: chạy `make messages` để biên dịch lại"


def test_makemessages_finds_no_string_without_an_english_translation(tmp_path, settings):
    if shutil.which("xgettext") is None:
        pytest.fail(
            "cần GNU gettext (xgettext) để kiểm tra chuỗi giao diện: apt-get install gettext"
        )
    for name in (*SOURCES, "templates"):
        shutil.copytree(PROJECT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.pyc"))
    (tmp_path / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        call_command("makemessages", locale=["en"], verbosity=0, no_location=True)
    extracted = {
        entry.msgid for entry in polib.pofile(str(tmp_path / "locale/en/LC_MESSAGES/django.po"))
    }
    translated = {entry.msgid for entry in polib.pofile(str(EN_PO)).translated_entries()}
    missing = sorted(extracted - translated)
    assert not missing, f"chuỗi giao diện mới chưa có bản tiếng Anh (make messages): {missing}"


@pytest.mark.django_db
def test_reader_pages_speak_english_under_en(client, bulletin):
    from tests.translating import translated

    english = translated(bulletin)
    html = client.get(english.url).content.decode()
    assert "Skip to main content" in html
    assert "Larger text" in html and "Print" in html
    assert "Tăng cỡ chữ" not in html
    vietnamese_html = client.get(bulletin.url).content.decode()
    assert "Tăng cỡ chữ" in vietnamese_html and "Larger text" not in vietnamese_html
    search_html = client.get("/en/tim-kiem/").content.decode()
    assert "Search the news" in search_html and '<html lang="en">' in search_html
