"""Whole reader pages for anonymous readers, from Django's cache (Redis in production, local
memory in the embedded default).

What is cached: a GET of a page Wagtail serves (its route `wagtail_serve`: home, categories,
bulletins, their feeds), answered 200, that sets no cookie and did not ask for a CSRF token,
for a request with no session cookie and no Authorization header. Everything else (the admin,
previews, editors' requests, search, the API, a form page with {% csrf_token %}) goes through
untouched. The search page is not cached: its queries are unbounded and its results follow the
search index, which catches up after the publish that would invalidate them.

Keys vary by scheme, host (several sites, and absolute URLs in feeds), active language (from
the /en/ prefix or, while the URLs have none, from the request), path and the query parameters
a listing understands (`page`, `year`, `month`, digits only); any other query string is served
uncached, so made-up queries cannot fill the cache.

Freshness: an entry carries its site's generation token (caching.generations); publishing,
unpublishing, moving or deleting a page renews the token of its site(s), so the bulletin, its
categories, the home page and the feeds are fresh on the next request. PAGE_CACHE_SECONDS
bounds what no signal announces (an image file replaced, a snippet edited).

`X-Page-Cache: hit | miss` tells which happened; a bypassed request has no such header.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .generations import current_generation, generation_key

CACHED_QUERY_PARAMETERS = frozenset({"page", "year", "month"})
SERVED_BY_WAGTAIL = "wagtail_serve"
# Headers a stored page keeps; cookies are never stored (such responses are not cached).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Last-Modified", "ETag")


def _cacheable_query(request) -> str | None:
    """The query string in a canonical order, or None when it must not be cached."""
    items = []
    for name in request.GET:
        values = request.GET.getlist(name)
        if name not in CACHED_QUERY_PARAMETERS or len(values) != 1:
            return None
        value = values[0]
        if not (value.isascii() and value.isdigit() and len(value) <= 6):
            return None
        items.append(f"{name}={value}")
    return "&".join(sorted(items))


def _is_anonymous(request) -> bool:
    # The cookie, not request.user: checking for a user would load the session.
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def page_key(request, site_id: int) -> str | None:
    """The cache key of this request's page, or None when the request bypasses the cache."""
    if request.method != "GET" or not _is_anonymous(request):
        return None
    query = _cacheable_query(request)
    if query is None:
        return None
    address = "|".join(
        (
            request.scheme,
            request.get_host(),
            translation.get_language() or "",
            request.path,
            query,
        )
    )
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"page-cache:page:{site_id}:{digest}"


def _storable(request, response) -> bool:
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and match.url_name == SERVED_BY_WAGTAIL
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not _session_written(request)
        and not getattr(request, "is_preview", False)
        and _is_anonymous(request)
    )


def _session_written(request) -> bool:
    # A session started during this request gets its cookie on the way out (outside this
    # middleware): that page belongs to one reader.
    session = getattr(request, "session", None)
    return bool(session is not None and session.modified)


def _entry(generation: str, response) -> tuple:
    headers = tuple((name, response[name]) for name in KEPT_HEADERS if response.has_header(name))
    return (generation, response.status_code, headers, response.content)


def _response_from(entry: tuple) -> HttpResponse:
    _, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    # As the rendered page says through SessionMiddleware (the userbar reads the session): a
    # browser must not reuse the anonymous copy once its reader has logged in.
    patch_vary_headers(response, ("Cookie",))
    return response


class PageCacheMiddleware:
    """Put it after LocaleMiddleware (the key needs the active language) and after
    portal.sites.CachedSiteMiddleware (it needs the request's site)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site = getattr(request, "_wagtail_site", None)
        key = page_key(request, site.pk) if settings.PAGE_CACHE_ENABLED and site else None
        if key is None:
            return self.get_response(request)

        # One round trip for the page and its site's token.
        found = cache.get_many([generation_key(site.pk), key])
        generation = current_generation(site.pk, found.get(generation_key(site.pk)))
        entry = found.get(key)
        if entry is not None and generation is not None and entry[0] == generation:
            response = _response_from(entry)
            response["X-Page-Cache"] = "hit"
            request.served_from_page_cache = True  # no URL was resolved (caching.cache_control)
            return response

        response = self.get_response(request)
        if generation is not None and _storable(request, response):
            cache.set(key, _entry(generation, response), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
