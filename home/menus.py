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
    """The site's home page and its live, in-menu children, in the reader's language (the
    home page's translation into it, when there is one)."""
    language = get_language() or settings.LANGUAGE_CODE
    key = MENUS.key(site.pk, language)
    menu = cache.get(key)
    if menu is None:
        root = site.root_page.localized
        menu = SiteMenu(
            home=MenuItem(root.title, root.get_url(current_site=site) or "/", root.path),
            items=tuple(
                MenuItem(child.title, child.get_url(current_site=site) or "", child.path)
                for child in root.get_children().live().in_menu()
            ),
        )
        cache.set(key, menu, MENU_CACHE_TIMEOUT)
    return menu


def clear_menu_cache(**kwargs) -> None:
    """Signal receiver: forget every site's menu when a page is published, moved or removed."""
    MENUS.bump()
