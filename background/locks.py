"""One run at a time for periodic jobs, across every worker that shares the cache (Redis).

The lock is the cache key holding this run's own token; it expires on its own, so a worker
that dies holding it blocks the job for `timeout` seconds at most. A run that outlasts its
lock may find that another run has taken it since: it then leaves that run's lock alone
instead of deleting it, which would let a third run start beside the second.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache


@contextmanager
def run_alone(key: str, timeout: int) -> Iterator[bool]:
    """`with run_alone(key, seconds) as acquired:` — False when another run holds `key`."""
    token = uuid.uuid4().hex
    acquired = cache.add(key, token, timeout)
    try:
        yield acquired
    finally:
        if acquired and cache.get(key) == token:
            cache.delete(key)
