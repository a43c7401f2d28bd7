"""A version in the cache key: forgetting a whole family of cache entries in one write.

The sites per host, the locales, each site's menu and the languages of each page are cached
under keys that carry their family's version; bumping the version orphans every entry of the
family at once (they expire on their own), with no key scan and no query, however many there
are. A version the cache lost (evicted, Redis restarted empty) comes back as a fresh value that
no earlier entry was stored under.
"""

import time

from django.core.cache import cache
from django.db import transaction

from caching.batch import pending_forgetting

# Families whose bump the cache did not take (Redis away, or left alone after a failure): their
# old version, and the entries stored under it, are still in Redis when it answers again.
# Bumped again as each request starts (caching.page_cache.PageCacheMiddleware).
_unbumped: dict[str, "CacheVersion"] = {}


def bump_what_failed() -> None:
    """Bump again the families a failed bump left out, once the cache takes writes."""
    for version in list(_unbumped.values()):
        version._increment()


class CacheVersion:
    def __init__(self, family: str):
        self.family = family
        self.version_key = f"{family}:version"

    def key(self, *parts) -> str:
        """The cache key of one entry of the family, under the current version."""
        version = cache.get_or_set(self.version_key, 1, None)
        return ":".join(str(part) for part in (self.family, version, *parts))

    def bump(self, **signal_kwargs) -> None:
        """Forget every entry of the family (usable as a signal receiver)."""
        if (batch := pending_forgetting()) is not None:  # once, at the batch's end
            batch.versions[self.family] = self
            return
        self._increment()
        # Again after the commit: a reader who read the database between now and the commit
        # may have stored what it was before the change under the new version.
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(self._increment, robust=True)

    def _increment(self) -> None:
        try:
            cache.incr(self.version_key)
        except ValueError:  # the version was lost (a value never used before), or Redis is away
            if cache.set_many({self.version_key: time.time_ns()}, None):  # not written
                _unbumped[self.family] = self
                return
        _unbumped.pop(self.family, None)
