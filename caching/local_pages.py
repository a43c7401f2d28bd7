"""A web process's own copy of the page cache's hottest entries, and of each site's generation
token, so that a hit on a popular page costs no Redis round trip.

Why: with Redis, a page-cache hit spent most of its time in the round trip (redis-py's
command, the socket, and threads waiting for the GIL around both), not in Django. A copy in
the process answers the pages readers ask for most from memory.

Freshness: an entry is still checked against its site's generation token
(caching.generations), but the token this process read is trusted for
PAGE_CACHE_LOCAL_TOKEN_SECONDS (1 s by default) before Redis is asked again. A publish made in
this process is seen at once (generations tells this module of the new token); one made in
another web process, a Celery worker or another node reaches this process within that time.

Size: entries are kept by last use up to PAGE_CACHE_LOCAL_MEGABYTES of page content per
process (0 turns the copy off: the default without Redis, where the cache is in the process
already).
"""

import threading
import time
from collections import OrderedDict

from django.conf import settings

# Monotonic seconds; a name of its own so tests can move this module's clock alone.
_now = time.monotonic


class LocalPages:
    """Least recently used entries within a byte budget, and recently read site tokens;
    safe to share between a process's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, object] = OrderedDict()
        self._sizes: dict[str, int] = {}
        self._bytes = 0
        self._tokens: dict[int, tuple[str, float]] = {}

    @staticmethod
    def budget() -> int:
        return int(settings.PAGE_CACHE_LOCAL_MEGABYTES * 1024 * 1024)

    def get(self, key: str):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry, size: int) -> None:
        budget = self.budget()
        if size > budget:
            return
        with self._lock:
            self._drop(key)
            self._entries[key] = entry
            self._sizes[key] = size
            self._bytes += size
            while self._bytes > budget:
                self._drop(next(iter(self._entries)))

    def discard(self, key: str) -> None:
        with self._lock:
            self._drop(key)

    def _drop(self, key: str) -> None:
        if self._entries.pop(key, None) is not None:
            self._bytes -= self._sizes.pop(key)

    def token(self, site_id: int) -> str | None:
        """The site's token if this process read or wrote it within the trusted time."""
        known = self._tokens.get(site_id)
        if known is None:
            return None
        token, read_at = known
        if _now() - read_at >= settings.PAGE_CACHE_LOCAL_TOKEN_SECONDS:
            return None
        return token

    def remember_token(self, site_id: int, token: str | None) -> None:
        if token is None:
            self._tokens.pop(site_id, None)
        else:
            self._tokens[site_id] = (token, _now())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._sizes.clear()
            self._bytes = 0
            self._tokens.clear()

    def __len__(self) -> int:
        return len(self._entries)


local_pages = LocalPages()
