"""What a CDN or reverse proxy must forget when a page changes, sent to Wagtail's frontend
cache backends (WAGTAILFRONTENDCACHE) by a background job once the change is committed.

For a page: its own URLs on every site it belongs to, and those of each ancestor up to the
site's home (the categories that list it, the home page), each with its feeds (`rss/`,
`atom/`). A moved page also has its old URL and its old ancestors purged.

A view restriction added or removed purges the page and every live page below it as well.

Not purged (the CDN keeps them up to CACHE_CONTROL_S_MAXAGE): a listing's later pages
(`?page=2`), the menu on every other page when a category is renamed or added, and the pages
showing an image or a document that changed (which pages show it is not known).
"""

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site, get_page_models

from .batch import pending_forgetting

FEED_ROUTES = ("rss", "atom")


def frontend_cache_configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _urls_of_url_path(url_path: str) -> set[str]:
    """Full URLs of a Wagtail url_path on every site whose root (or a translation of it)
    contains it, with the root's language prefix (/en/) as Wagtail gives it."""
    urls = set()
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            with translation.override(root.language_code):
                path = reverse("wagtail_serve", args=(url_path[len(root.root_path) :],))
            urls.add(root.root_url + path)
    return urls


def _feed_urls(page: Page, page_urls: set[str]) -> set[str]:
    if not isinstance(page, RoutablePageMixin):
        return set()
    urls = set()
    for name in FEED_ROUTES:
        try:
            route = page.reverse_subpage(name)
        except NoReverseMatch:
            continue
        urls.update(url + route for url in page_urls)
    return urls


def urls_to_purge(page: Page) -> set[str]:
    """The page, its ancestors below the tree root, and their feeds."""
    specific_pages = [page.specific_deferred]
    specific_pages += list(page.get_ancestors().filter(depth__gt=1).specific(defer=True))
    urls: set[str] = set()
    for each in specific_pages:
        page_urls = _urls_of_url_path(each.url_path)
        urls |= page_urls | _feed_urls(each, page_urls)
    return urls


def urls_to_purge_with_descendants(page: Page) -> set[str]:
    """The page with its ancestors and feeds, and every live page below it with the feeds of
    those that have them (sub-categories): all that a view restriction on `page` covers."""
    urls = urls_to_purge(page)
    below = page.get_descendants().live()
    for url_path in below.values_list("url_path", flat=True).iterator():
        urls |= _urls_of_url_path(url_path)
    with_feeds = [model for model in get_page_models() if issubclass(model, RoutablePageMixin)]
    for each in below.type(*with_feeds).specific(defer=True):
        urls |= _feed_urls(each, _urls_of_url_path(each.url_path))
    return urls


def urls_to_purge_after_move(page: Page, url_path_before: str, parent_before: Page) -> set[str]:
    """Where the page is now and where it was, with the ancestors on both sides."""
    return urls_to_purge(page) | _urls_of_url_path(url_path_before) | urls_to_purge(parent_before)


def purge_after_commit(urls: set[str]) -> None:
    """Queue the purge once the transaction commits: a CDN refetching earlier would keep the
    old page. The job runs on a Celery worker in production, in-process in the embedded
    default (django-tasks' backend decides)."""
    if not urls or not frontend_cache_configured():
        return
    if (batch := pending_forgetting()) is not None:  # one job for the batch, at its end
        batch.urls |= urls
        return
    from .tasks import purge_frontend_cache

    ordered = sorted(urls)
    transaction.on_commit(lambda: purge_frontend_cache.enqueue(ordered), robust=True)
