"""Whole reader pages for anonymous readers, from Django's cache (Redis in production, local
memory in the embedded default).

Where it sits: right after WhiteNoise, above everything else that runs for a page
(portal/settings/base.py). A hit skips the site lookup, sessions, locale, CSRF, auth,
messages, Cache-Control and URL resolution, and costs one cache round trip. What is stored is
the response as every middleware below this one left it (Cache-Control, Vary,
Content-Language, X-Frame-Options, Content-Length...), so a hit carries the same headers as
the miss that stored it; the middleware above (SecurityMiddleware, the Content-Security-Policy)
run on hits as on misses.

What is cached: a GET of a page Wagtail serves (its route `wagtail_serve`: home, categories,
bulletins, their feeds), answered 200 with a public Cache-Control, that sets no cookie and did
not ask for a CSRF token, for a request with no session cookie and no Authorization header.
Everything else (the admin, previews, editors' requests, search, the API, a form page with
{% csrf_token %}) goes through untouched. The search page is not cached: its queries are
unbounded and its results follow the search index, which catches up after the publish that
would invalidate them.

Keys vary by scheme, host (several sites, and absolute URLs in feeds), language (as
LocaleMiddleware will choose it: caching.request_language), path and the query parameters a
listing understands (`page`, `year`, `month`, digits only); any other query string is served
uncached, so made-up queries cannot fill the cache.

Freshness: an entry carries its site's generation token (caching.generations), read before the
page was rendered; publishing, unpublishing, moving or deleting a page renews the token of its
site(s), and saving a Site renews every site's, so an entry is served only while its site's
token is unchanged. Which site a host belongs to is remembered per process from the entries
themselves, so a hit reads its page and its site's token in one `get_many`; a wrong guess
costs one more read, never a stale page. PAGE_CACHE_SECONDS bounds what no signal announces
(an image file replaced, a snippet edited).

With Redis, each web process also keeps its most used entries in its own memory
(caching.local_pages): a hit on them needs no round trip, and trusts the site's token it read
for up to PAGE_CACHE_LOCAL_TOKEN_SECONDS.

`X-Page-Cache: hit | miss` tells which happened; a bypassed request has no such header.
"""

import hashlib
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import cc_delim_re

from portal.cache_versions import bump_what_failed
from portal.sites import site_for_request

from .generations import current_generation, generation_key, renew_what_failed
from .local_pages import local_pages
from .request_language import language_for

CACHED_QUERY_PARAMETERS = frozenset({"page", "year", "month"})
SERVED_BY_WAGTAIL = "wagtail_serve"
# A response a shared cache may keep says `public`, and none of these.
NOT_SHARED = frozenset({"private", "no-store", "no-cache"})
# Host → the site its pages were stored for: a guess, checked against each entry.
MAX_REMEMBERED_HOSTS = 1000
_site_of_host: dict[str, int] = {}


class StoredPage(NamedTuple):
    site_id: int
    generation: str
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes


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


def page_key(request) -> str | None:
    """The cache key of this request's page, or None when the request bypasses the cache."""
    if request.method != "GET" or not _is_anonymous(request):
        return None
    query = _cacheable_query(request)
    if query is None:
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # CommonMiddleware answers 400, as without the cache
    if settings.DISALLOWED_USER_AGENTS:
        return None  # CommonMiddleware's check runs below: it must see every request
    address = "|".join((request.scheme, host, language_for(request), request.path, query))
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"page-cache:page:{digest}"


def _is_public(response) -> bool:
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return "public" in directives and not directives & NOT_SHARED


def _storable(request, response) -> bool:
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and match.url_name == SERVED_BY_WAGTAIL
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and _is_public(response)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not _session_written(request)
        and not getattr(request, "is_preview", False)
        and _is_anonymous(request)
    )


def _session_written(request) -> bool:
    session = getattr(request, "session", None)
    return bool(session is not None and session.modified)


def _stored(site_id: int, generation: str, response) -> StoredPage:
    return StoredPage(
        site_id, generation, response.status_code, tuple(response.items()), response.content
    )


def _response_from(page: StoredPage) -> HttpResponse:
    response = HttpResponse(page.content, status=page.status)
    for name, value in page.headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def _remember(host: str, site_id: int) -> None:
    if len(_site_of_host) >= MAX_REMEMBERED_HOSTS:
        _site_of_host.clear()
    _site_of_host[host] = site_id


def _local_lookup(key: str) -> StoredPage | None:
    """The process's own copy of the entry, if its site's token still matches (the token as
    this process last read it, within PAGE_CACHE_LOCAL_TOKEN_SECONDS, else read again)."""
    page = local_pages.get(key)
    if page is None:
        return None
    token = local_pages.token(page.site_id)
    if token is None:
        token = cache.get(generation_key(page.site_id))
        local_pages.remember_token(page.site_id, token)
    if token is not None and token == page.generation:
        return page
    local_pages.discard(key)
    return None


def _keep_locally(key: str, page: StoredPage) -> None:
    if local_pages.budget():
        size = len(page.content) + sum(len(name) + len(value) for name, value in page.headers)
        local_pages.put(key, page, size)


def _lookup(request, key: str) -> tuple[StoredPage | None, dict]:
    """The stored page if it is current, and what was read (the guessed site's token)."""
    host = request.get_host()
    guessed_site = _site_of_host.get(host)
    keys = [key] if guessed_site is None else [key, generation_key(guessed_site)]
    found = cache.get_many(keys)
    page = found.get(key)
    if not isinstance(page, StoredPage):
        return None, found
    if page.site_id == guessed_site:
        token = found.get(generation_key(guessed_site))
    else:
        token = cache.get(generation_key(page.site_id))
    if token is None or token != page.generation:
        return None, found
    _remember(host, page.site_id)
    local_pages.remember_token(page.site_id, token)
    return page, found


class PageCacheMiddleware:
    """Put it right after WhiteNoise: below it, every middleware's headers are stored with the
    page; above it, only what must run for every request (SecurityMiddleware's redirect to
    HTTPS and headers, the Content-Security-Policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Before any token or version is trusted: a publish while Redis was away.
        renew_what_failed()
        bump_what_failed()
        key = page_key(request) if settings.PAGE_CACHE_ENABLED else None
        if key is None:
            return self.get_response(request)
        if local_pages.budget() and (page := _local_lookup(key)) is not None:
            return _response_from(page)
        page, found = _lookup(request, key)
        if page is not None:
            _keep_locally(key, page)
            return _response_from(page)

        # A miss: find the site here (portal.sites.CachedSiteMiddleware then keeps it) and
        # read its token before the page is rendered.
        site = request._wagtail_site = site_for_request(request)
        if site is None:
            return self.get_response(request)
        generation = current_generation(site.pk, found.get(generation_key(site.pk)))
        if local_pages.budget():
            local_pages.remember_token(site.pk, generation)
        response = self.get_response(request)
        if generation is not None and _storable(request, response):
            stored = _stored(site.pk, generation, response)
            cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
            _keep_locally(key, stored)
            _remember(request.get_host(), site.pk)
            response["X-Page-Cache"] = "miss"
        return response
