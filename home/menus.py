"""Each site's main menu, cached: it is on every page and changes only when pages do."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from wagtail.models import Page, Site

from portal.cache_versions import CacheVersion

MENU_CACHE_TIMEOUT = 60 * 60


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str
    path: str  # the page's tree path, to mark the section the reader is in
    # The page's language when it is not the reader's (an untranslated section shown in the
    # original language): the link then carries lang/hreflang.
    language: str = ""

    def contains(self, page: Page | None) -> bool:
        return bool(page and page.path.startswith(self.path))


@dataclass(frozen=True)
class SiteMenu:
    home: MenuItem
    items: tuple[MenuItem, ...]


# One version for every menu: a publish forgets them all in one cache write, no query (imports
# publish thousands of pages).
MENUS = CacheVersion("site-menu")


def site_menu(site: Site) -> SiteMenu:
    """The site's home page and its live, in-menu children, in the reader's language: each
    section's live translation, or the original where there is none (never a 404)."""
    language = get_language() or settings.LANGUAGE_CODE
    key = MENUS.key(site.pk, language)
    menu = cache.get(key)
    if menu is None:
        menu = _build_menu(site, language)
        cache.set(key, menu, MENU_CACHE_TIMEOUT)
    return menu


def _build_menu(site: Site, language: str) -> SiteMenu:
    original_root = site.root_page
    root = original_root.localized
    originals = list(original_root.get_children().live().in_menu().select_related("locale"))
    children = originals if root.pk == original_root.pk else _localized_children(root, originals)
    return SiteMenu(
        home=MenuItem(root.title, root.get_url(current_site=site) or "/", root.path),
        items=tuple(
            MenuItem(
                page.title,
                page.get_url(current_site=site) or "",
                page.path,
                "" if page.locale.language_code == language else page.locale.language_code,
            )
            for page in children
        ),
    )


def _localized_children(root: Page, originals: list[Page]) -> list[Page]:
    """The original menu in the order editors gave it, each entry replaced by its live
    translation under `root`; a translation taken out of the menu stays out, and sections
    that exist only in the translated tree come last."""
    translations = {
        page.translation_key: page for page in root.get_children().live().select_related("locale")
    }
    children = []
    for original in originals:
        translation = translations.pop(original.translation_key, None)
        if translation is None:
            children.append(original)
        elif translation.show_in_menus:
            children.append(translation)
    children += [page for page in translations.values() if page.show_in_menus]
    return children


def clear_menu_cache(**kwargs) -> None:
    """Signal receiver: forget every site's menu when a page is published, moved or removed."""
    MENUS.bump()
