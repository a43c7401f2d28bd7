"""The request's Wagtail `Site`, found once per host instead of once per request.

Wagtail finds a request's site with one query per request (a CASE-ordered match on hostname,
port and the default flag): about a sixth of a bulletin page's time. Which site answers a host
changes only when a `Site` is saved or deleted, so the answer is cached per (host, port), and
the whole table is forgotten on any change (a version in the key). Wagtail's own
`Site.find_for_request` reads the answer from `request._wagtail_site`, where the middleware
puts it; everything else — routing, settings, menus — then uses it unchanged.

The cached `Site` carries no root page, only its type: the page itself is kept apart, under the
site's generation token (caching.generations), which every publish renews, so an edited home
page is never served stale; on a miss it is read in one query of its own type. As with Wagtail's
cache of site root paths, several processes stay in step only through a shared cache (Redis in
production); the timeout bounds how long a process-local cache can lag.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from caching.audience import gets_cached_parts
from caching.generations import cached_for_site
from portal.cache_versions import CacheVersion

SITE_CACHE_TIMEOUT = 5 * 60
# Entries are (site row, root page's content type): a family name of their own, so that entries
# of the earlier layout (a bare Site), still in Redis after a deploy, are never read as such.
SITES = CacheVersion("portal:site-and-root-type")


def site_for_request(request) -> Site | None:
    """What `Site.find_for_request` answers, from the cache when it can."""
    try:
        # get_host(), not Wagtail's raw host: only hosts ALLOWED_HOSTS accepts get a cache
        # entry, so made-up Host headers can't fill the cache.
        hostname = split_domain_port(request.get_host())[0]
        port = request.get_port()
    except (DisallowedHost, KeyError):
        return Site.find_for_request(request)
    key = SITES.key(hostname, port)
    cached = cache.get(key)
    if cached is None:
        site = Site.find_for_request(request)
        if site is None:
            return None
        # Cache the row and its root page's type only: the root page is cached on its own,
        # under the site's generation token.
        row = Site(
            **{field.attname: getattr(site, field.attname) for field in Site._meta.concrete_fields}
        )
        cached = (row, site.root_page.content_type_id)
        cache.set(key, cached, SITE_CACHE_TIMEOUT)
    site, root_content_type_id = cached
    _load_root_as_its_type(request, site, root_content_type_id)
    return site


def _load_root_as_its_type(request, site: Site, content_type_id: int) -> None:
    """Routing asks for `site.root_page.specific`: two queries (the base row, then its
    type's). Knowing the type, one query gives the same page, and none while the site's
    generation token holds it; read when routing first needs it."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:  # the type's app was removed: let Wagtail load the base row
        return
    key = f"portal:site-root:{site.pk}:{site.root_page_id}"

    def root_page():
        read = {key: lambda: model.objects.get(pk=site.root_page_id)}
        if not gets_cached_parts(request):  # an editor (known by now: this runs in routing)
            return read[key]()
        return cached_for_site(site.pk, read, settings.FRAGMENT_CACHE_SECONDS, request)[key]

    site._state.fields_cache["root_page"] = SimpleLazyObject(root_page)


def forget_sites(**kwargs) -> None:
    """On any change to a Site: every host's answer may have changed."""
    SITES.bump()


class CachedSiteMiddleware:
    """Sets `request._wagtail_site` (Wagtail's own per-request slot) from the site cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not hasattr(request, "_wagtail_site"):
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)
