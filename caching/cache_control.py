"""Cache-Control for what a CDN or a browser may keep.

- Reader pages for anonymous readers (pages Wagtail serves, the search page without a query,
  sitemap.xml and its pages, robots.txt), GET/HEAD answered 200 without cookies:
  `public, max-age=CACHE_CONTROL_MAX_AGE, s-maxage=CACHE_CONTROL_S_MAXAGE,
  stale-while-revalidate=CACHE_CONTROL_STALE_WHILE_REVALIDATE`. The browser keeps a page
  briefly; the CDN longer, as publishing purges it (caching.purge).
- `private, no-store` for requests with a session cookie (editors, logged in), the admin,
  previews, and any response that sets a cookie (a CSRF token): a shared cache must never
  keep an editor's page or hand one reader's cookie to another.
- The search page with a query: `private, no-cache`. No publish purge reaches its unbounded
  URLs and results follow the search index, so no shared cache keeps it; the reader's own
  browser may, revalidating.
- A response that already says something (never_cache views, /healthz) is left alone.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

PUBLIC_ROUTES = frozenset(
    {"wagtail_serve", "search", "sitemap-xml", "sitemap-section", "robots-txt"}
)
SEARCH_ROUTE = "search"
NEVER_STORED = {"private": True, "no_store": True}


def _route(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.url_name if match else None


def _is_private_area(request) -> bool:
    return request.path.startswith(settings.CACHE_CONTROL_PRIVATE_PREFIXES) or getattr(
        request, "is_preview", False
    )


def _has_session(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def cache_control_for(request, response) -> dict | None:
    """The Cache-Control directives for this response, or None to leave it as it is."""
    if _is_private_area(request) or _has_session(request) or response.cookies:
        return NEVER_STORED
    if response.has_header("Cache-Control"):
        return None
    route = _route(request)
    if route not in PUBLIC_ROUTES or request.method not in ("GET", "HEAD"):
        return None
    if route == SEARCH_ROUTE and request.GET:
        return {"private": True, "no_cache": True}
    if response.status_code != 200:
        return None
    return {
        "public": True,
        "max_age": settings.CACHE_CONTROL_MAX_AGE,
        "s_maxage": settings.CACHE_CONTROL_S_MAXAGE,
        "stale_while_revalidate": settings.CACHE_CONTROL_STALE_WHILE_REVALIDATE,
    }


class CacheControlMiddleware:
    """Put it near the top, under the page cache (which stores the header with the page): it
    must see every cookie the middleware below it sets."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        directives = cache_control_for(request, response)
        if directives is NEVER_STORED:
            # Replace, not merge: `public` from a view must not survive next to `private`.
            del response["Cache-Control"]
        if directives:
            patch_cache_control(response, **directives)
        return response
