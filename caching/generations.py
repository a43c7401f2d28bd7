"""One generation token per site: a cached page is served only while its site's token is the
one it was stored under, so changing the token forgets every cached page of the site at once,
in one cache write, whatever the number of pages (no key scans, cheap for the importer).

Tokens are random and never reused, so an entry can never come back to life: not when Redis
restarts empty, nor when the token is evicted (a new token is drawn and the old entries are
orphaned until their timeout).
"""

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from wagtail.models import Site

from .batch import pending_forgetting
from .local_pages import local_pages

# Sites whose new token could not be written (Redis away, or left alone after a failure): their
# old token, and the pages stored under it, are still in Redis when it answers again. Renewed
# again as each request starts (PageCacheMiddleware), before it reads any token.
_unrenewed: set[int] = set()


def renew_what_failed() -> None:
    """Write the tokens a failed renewal left out, once Redis takes writes again."""
    if _unrenewed:
        _renew(set(_unrenewed))


def generation_key(site_id: int) -> str:
    return f"page-cache:generation:{site_id}"


def current_generation(site_id: int, known: str | None = None) -> str | None:
    """The site's token (`known`: what a get_many already read). None when the cache does not
    answer (Redis away): then nothing may be stored."""
    if known is not None:
        return known
    key = generation_key(site_id)
    if (token := cache.get(key)) is not None:
        return token
    cache.add(key, uuid.uuid4().hex, None)
    return cache.get(key)


def _tokens_read(request) -> dict[int, str | None]:
    """The tokens this request has read, by site."""
    return request.__dict__.setdefault("_site_generations", {})


def generation_for_request(request, site_id: int) -> str | None:
    """The site's token as this request first read it: one read per request, however many
    parts of the page are cached under it."""
    read = _tokens_read(request)
    if site_id not in read:
        read[site_id] = current_generation(site_id)
    return read[site_id]


def cached_for_site(
    site_id: int, builders: dict[str, Callable[[], object]], timeout: int, request=None
) -> dict[str, object]:
    """Each key's value, from the cache when it was stored under the site's current token,
    else built and stored under it: one round trip when every value is there. A value of
    None is not stored (an unknown address must not fill the cache); without a cache (Redis
    away) every value is built. With `request`, the token read is kept for the rest of it.
    A timeout of 0 turns this off: every value is built, and the cache is not asked."""
    if timeout == 0:
        return {key: build() for key, build in builders.items()}
    found = cache.get_many([generation_key(site_id), *builders])
    generation = current_generation(site_id, found.get(generation_key(site_id)))
    if request is not None:
        _tokens_read(request).setdefault(site_id, generation)
    values, to_store = {}, {}
    for key, build in builders.items():
        entry = found.get(key)
        if entry is not None and generation is not None and entry[0] == generation:
            values[key] = entry[1]
            continue
        values[key] = build()
        if generation is not None and values[key] is not None:
            to_store[key] = (generation, values[key])
    if to_store:
        cache.set_many(to_store, timeout)
    return values


def _renew(site_ids: set[int]) -> None:
    tokens = {site_id: uuid.uuid4().hex for site_id in site_ids}
    failed = cache.set_many(
        {generation_key(site_id): token for site_id, token in tokens.items()}, None
    )
    if failed:
        _unrenewed.update(site_ids)
    else:
        _unrenewed.difference_update(site_ids)
    # This process's copies of pages see the change at once; other processes within
    # PAGE_CACHE_LOCAL_TOKEN_SECONDS (caching.local_pages).
    for site_id, token in tokens.items():
        local_pages.remember_token(site_id, token)


def forget_pages_of_sites(site_ids: set[int]) -> None:
    """Forget the cached pages of these sites now, and again once the transaction commits.

    Now: the change is visible to this request and to tests. Again on commit: a reader who read
    the new token before the commit may have rendered the old content and stored it under
    that token; the token drawn after the commit orphans that entry too.
    """
    if not site_ids:
        return
    if (batch := pending_forgetting()) is not None:  # once, at the batch's end
        batch.site_ids |= site_ids
        return
    _renew(site_ids)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _renew(site_ids), robust=True)


def sites_showing(*url_paths: str) -> set[int]:
    """The sites a page at these Wagtail url_paths belongs to (its own site, and the sites of
    any nested site root inside it), from Wagtail's cached site root paths."""
    site_ids = set()
    for root in Site.get_site_root_paths():
        for url_path in url_paths:
            if url_path and (
                url_path.startswith(root.root_path) or root.root_path.startswith(url_path)
            ):
                site_ids.add(root.site_id)
    return site_ids


def forget_every_site() -> None:
    forget_pages_of_sites(set(Site.objects.values_list("pk", flat=True)))
