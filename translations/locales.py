"""Wagtail's locale lookups, cached.

With WAGTAIL_I18N_ENABLED, Wagtail asks for the active language's `Locale` on every reader
request (`Page.route_for_request` routes from `site.root_page.localized`), one query each time.
Locales change only when an administrator adds or removes a language, so the answer is kept
in Django's cache per language code and forgotten whenever a Locale is saved or deleted.
"""

from django.conf import settings
from django.core.cache import cache
from wagtail.models import Locale
from wagtail.models.i18n import LocaleManager

from portal.cache_versions import CacheVersion

LOCALE_CACHE_TIMEOUT = 60 * 60
LOCALES = CacheVersion("portal:locale")
_MISSING = "missing"

_uncached_get_for_language = LocaleManager.get_for_language


def cached_get_for_language(manager: LocaleManager, language_code: str) -> Locale:
    """LocaleManager.get_for_language, from the cache when it can (a miss asks the database
    and raises as it does)."""
    if manager.model is not Locale:
        return _uncached_get_for_language(manager, language_code)
    key = LOCALES.key(language_code)
    locale = cache.get(key)
    if locale is None:
        try:
            locale = _uncached_get_for_language(manager, language_code)
        except Locale.DoesNotExist:
            # A language with no Locale yet is asked about as often (is_english, per page).
            locale = _MISSING
        cache.set(key, locale, LOCALE_CACHE_TIMEOUT)
    if locale == _MISSING:
        raise Locale.DoesNotExist(f"no Locale for {language_code!r}")
    return locale


def is_english(locale_id: int | None) -> bool:
    """Whether `locale_id` is English (any "en" variant), from the cache."""
    try:
        return Locale.objects.get_for_language("en").pk == locale_id
    except (Locale.DoesNotExist, LookupError):
        return False


def language_code_of(locale_id: int | None) -> str | None:
    """The language code of a content locale, from the cache (no query per page listed)."""
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        try:
            if Locale.objects.get_for_language(code).pk == locale_id:
                return code
        except (Locale.DoesNotExist, LookupError):
            continue
    return None


def forget_locales(**kwargs) -> None:
    LOCALES.bump()


def install() -> None:
    LocaleManager.get_for_language = cached_get_for_language
