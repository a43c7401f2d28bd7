"""The languages a reader page exists in, for the language switcher and the hreflang links.

They are read once per page and site, then kept in Django's cache until any page is published,
unpublished, moved, renamed or deleted (a version in the key, as for the sites): a page's
addresses can change with its ancestors, and the switcher must never link to a 404.
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language_info
from wagtail.models import Page, Site

from portal.cache_versions import CacheVersion

PAGE_LANGUAGES_TIMEOUT = 60 * 60
PAGE_LANGUAGES = CacheVersion("portal:page-languages")


@dataclass(frozen=True)
class PageLanguage:
    code: str
    name: str  # in the language itself: "English", "Tiếng Việt", "Tày"
    url: str
    page_id: int


@dataclass(frozen=True)
class PageLanguages:
    current: PageLanguage | None
    others: tuple[PageLanguage, ...]

    @property
    def all(self) -> tuple[PageLanguage, ...]:
        return ((self.current,) if self.current else ()) + self.others

    def at_subpath(self, subpath: str) -> "PageLanguages":
        """The same languages, each URL followed by `subpath` (a route of the page)."""
        if not subpath:
            return self
        current = replace(self.current, url=self.current.url + subpath) if self.current else None
        others = tuple(replace(other, url=other.url + subpath) for other in self.others)
        return PageLanguages(current, others)


def page_languages(page: Page | None, request) -> PageLanguages:
    """The live versions of `page`, one per language, the page's own apart.

    Only live pages with a URL on this install are listed, so nothing links to a 404.
    """
    if page is None or not getattr(page, "translation_key", None) or not page.pk:
        return PageLanguages(None, ())
    site = Site.find_for_request(request)
    key = PAGE_LANGUAGES.key(site.pk if site else 0, page.translation_key)
    versions = cache.get(key)
    if versions is None:
        versions = _live_versions(page, request)
        cache.set(key, versions, PAGE_LANGUAGES_TIMEOUT)
    current = next((version for version in versions if version.page_id == page.pk), None)
    others = tuple(version for version in versions if version.page_id != page.pk)
    return PageLanguages(current, others)


def _live_versions(page: Page, request) -> list[PageLanguage]:
    # Only what an address and a language need: a page's other columns (about thirty) cost
    # more to compile and build than the query costs to run.
    translations = (
        Page.objects.filter(translation_key=page.translation_key)
        .live()
        .select_related("locale")
        .only("url_path", "locale__language_code")
        .order_by("locale__language_code")
    )
    versions = []
    for version in translations:
        url = version.get_url(request)
        if url:
            code = version.locale.language_code
            versions.append(PageLanguage(code, _local_name(code), url, version.pk))
    return versions


def _local_name(code: str) -> str:
    # The content languages' own names (NFC, and known for languages Django has no entry for).
    names = dict(settings.WAGTAIL_CONTENT_LANGUAGES)
    if code in names:
        return names[code]
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


def forget_page_languages(**kwargs) -> None:
    PAGE_LANGUAGES.bump()
