"""Adding a content language to the portal: its Locale, a catalogue Django accepts it with,
and each site's home page translated into it (the root its translated pages go under)."""

from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings
from django.db import transaction
from django.utils.translation import trans_real
from wagtail.models import Locale, Site
from wagtail_localize.operations import translate_object


class UnknownLanguage(ValueError):
    """The code is not in PORTAL_LANGUAGES (settings.WAGTAIL_CONTENT_LANGUAGES)."""


@dataclass
class AddedLanguage:
    locale: Locale
    locale_created: bool
    catalogue: Path | None  # the catalogue written for a language Django has none for
    home_pages: int  # home pages translated into it now


def content_language_codes() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def add_portal_language(code: str, user=None) -> AddedLanguage:
    """Make `code` a working content language; running it again changes nothing."""
    code = code.strip().lower()
    if code not in content_language_codes():
        raise UnknownLanguage(code)
    catalogue = ensure_catalogue(code)
    with transaction.atomic():
        locale, locale_created = Locale.objects.get_or_create(language_code=code)
        home_pages = 0
        for site in Site.objects.select_related("root_page"):
            root = site.root_page.specific
            if root.locale_id != locale.pk and not root.has_translation(locale):
                translate_object(root, [locale], user=user)
                home_pages += 1
    return AddedLanguage(locale, locale_created, catalogue, home_pages)


def ensure_catalogue(code: str) -> Path | None:
    """Django serves a language (URL prefix, LocaleMiddleware) only when some catalogue for
    it exists. For a language Django does not ship (Tày, "tyz"), write one in the project's
    locale folder, with the interface strings left to translate: until they are, readers see
    the Vietnamese originals."""
    if trans_real.check_for_language(code):
        return None
    folder = Path(settings.LOCALE_PATHS[0]) / trans_real.to_locale(code) / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    template = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(template)) if template.exists() else polib.POFile()
    catalogue.metadata.update({"Language": code, "Content-Type": "text/plain; charset=UTF-8"})
    for entry in catalogue:
        entry.msgstr = ""
        entry.msgstr_plural = {index: "" for index in entry.msgstr_plural}
    po_path = folder / "django.po"
    catalogue.save(str(po_path))
    catalogue.save_as_mofile(str(folder / "django.mo"))
    _forget_catalogue_lookups()
    return po_path


def _forget_catalogue_lookups() -> None:
    """Django remembers which languages have catalogues; this process has just made one."""
    for name in (
        "translation_catalog_exists",
        "check_for_language",
        "get_supported_language_variant",
    ):
        cached = getattr(trans_real, name, None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()
    trans_real._translations = {}
