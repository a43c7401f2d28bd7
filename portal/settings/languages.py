"""Content languages (wagtail-localize): which languages the portal publishes in, from the
environment, and the machine translator translators may call.

PORTAL_LANGUAGES lists language codes, the default language first: "vi,en" (the default), or
"vi,en,tyz:Tày" for a language Django does not know, given with its own name. Such languages are
added to Django's LANG_INFO here; `manage.py add_portal_language CODE` then creates the locale,
its catalogue and its home pages.
"""

import unicodedata

from django.conf.locale import LANG_INFO

from .environment import env_list, env_str

DEFAULT_PORTAL_LANGUAGES = ["vi", "en"]

# Names Django has no entry for; a "code:Name" item in PORTAL_LANGUAGES adds to these.
KNOWN_EXTRA_LANGUAGES = {
    "tyz": "Tày",
}


def parse_portal_languages(items: list[str]) -> list[tuple[str, str]]:
    """[("vi", "Tiếng Việt"), ("en", "English"), ("tyz", "Tày")] from PORTAL_LANGUAGES items."""
    languages = []
    for item in items:
        code, _, name = item.partition(":")
        code = code.strip().lower()
        if not code or code in dict(languages):
            continue
        name = name.strip() or KNOWN_EXTRA_LANGUAGES.get(code)
        if name is None:
            info = LANG_INFO.get(code, {})
            name = info.get("name_local") or info.get("name") or code
        # Django's own names are not all NFC ("Tiếng Việt" as decomposed letters).
        languages.append((code, unicodedata.normalize("NFC", name)))
    return languages


def extend_lang_info(languages: list[tuple[str, str]]) -> None:
    """Teach Django the languages it doesn't ship (left-to-right, named in themselves)."""
    for code, name in languages:
        if code not in LANG_INFO:
            LANG_INFO[code] = {"bidi": False, "code": code, "name": name, "name_local": name}


def machine_translator() -> dict | None:
    """WAGTAILLOCALIZE_MACHINE_TRANSLATOR from the environment: DeepL when DEEPL_API_KEY is
    set, else LibreTranslate when LIBRETRANSLATE_URL is; None (off) otherwise."""
    if deepl_key := env_str("DEEPL_API_KEY"):
        return {
            "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
            "OPTIONS": {"AUTH_KEY": deepl_key},
        }
    if libretranslate_url := env_str("LIBRETRANSLATE_URL"):
        return {
            "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
            "OPTIONS": {
                "LIBRETRANSLATE_URL": libretranslate_url,
                "API_KEY": env_str("LIBRETRANSLATE_API_KEY"),
            },
        }
    return None


PORTAL_LANGUAGES = parse_portal_languages(env_list("PORTAL_LANGUAGES", DEFAULT_PORTAL_LANGUAGES))
extend_lang_info(PORTAL_LANGUAGES)

LANGUAGE_APPS = ["translations", "wagtail_localize", "wagtail_localize.locales"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = PORTAL_LANGUAGES
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator()
