"""The page cache, Cache-Control headers and frontend cache (CDN) purging: the `caching` app.
Imported by base.py; every value comes from the environment."""

from .environment import env_bool, env_list, env_str, env_whole_number

# Whole reader pages for anonymous readers, in the default cache (caching.page_cache).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", True)
# Publishing forgets pages at once; this bounds what no signal announces (a replaced image).
PAGE_CACHE_SECONDS = env_whole_number("PAGE_CACHE_SECONDS", 600)
# With Redis, each web process also keeps its most read pages in memory (caching.local_pages),
# trusting the site's generation token it read for this long: a publish reaches the other
# processes' copies within it. Without Redis the cache is in the process already.
PAGE_CACHE_LOCAL_MEGABYTES = env_whole_number(
    "PAGE_CACHE_LOCAL_MB", 32 if env_str("REDIS_URL") else 0
)
PAGE_CACHE_LOCAL_TOKEN_SECONDS = 1.0
# Parts of reader pages (an article's body, the footer), for every reader, editors included,
# and the pages routing finds (portal.routing): kept under the site's generation token
# (caching.generations), bounded the same way. Without Redis each process has its own cache,
# and a publish in one process reaches the others' within this time. 0 turns them off.
FRAGMENT_CACHE_SECONDS = env_whole_number("FRAGMENT_CACHE_SECONDS", 600)

# Cache-Control for anonymous reader pages (caching.cache_control).
CACHE_CONTROL_MAX_AGE = env_whole_number("CACHE_CONTROL_MAX_AGE", 60)
CACHE_CONTROL_S_MAXAGE = env_whole_number("CACHE_CONTROL_S_MAXAGE", 300)
CACHE_CONTROL_STALE_WHILE_REVALIDATE = env_whole_number("CACHE_CONTROL_STALE_WHILE_REVALIDATE", 60)
CACHE_CONTROL_PRIVATE_PREFIXES = ("/admin/", "/django-admin/")


def frontend_cache_backends() -> dict:
    """WAGTAILFRONTENDCACHE from the environment: any of Cloudflare, CloudFront and HTTP
    PURGE URLs (Varnish, nginx), each only when its variables are set."""
    backends = {}
    token, zone = env_str("CLOUDFLARE_API_TOKEN"), env_str("CLOUDFLARE_ZONE_ID")
    if token and zone:
        backends["cloudflare"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "BEARER_TOKEN": token,
            "ZONEID": zone,
        }
    if distribution := env_str("CLOUDFRONT_DISTRIBUTION_ID"):
        # Needs boto3 (pip install boto3) and AWS credentials in the usual variables.
        backends["cloudfront"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": distribution,
        }
    for number, location in enumerate(env_list("FRONTEND_CACHE_PURGE_URLS")):
        backends[f"purge-{number}"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    hostnames = env_list("FRONTEND_CACHE_HOSTNAMES")
    if hostnames:
        for backend in backends.values():
            backend["HOSTNAMES"] = hostnames
    return backends


WAGTAILFRONTENDCACHE = frontend_cache_backends()
