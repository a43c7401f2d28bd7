"""Django's own Redis cache backend, made to answer as a miss when Redis is away.

Django's RedisCache raises when Redis is stopped, which would turn every reader page into a
500. django-redis has IGNORE_EXCEPTIONS, but the portal needs nothing else from it, and
wrapping Django's backend keeps the cache the one the issue asks for with one dependency less:
a get is a miss, a set or delete is skipped, and pages are rendered from the database.

After a failure, Redis is left alone for RETRY_AFTER seconds (5 by default, from OPTIONS), so a
page that reads the cache ten times waits on Redis's connect timeout once, not ten times.
Settings: `{"BACKEND": "portal.cache.FailSafeRedisCache", "LOCATION": REDIS_URL,
"OPTIONS": {"RETRY_AFTER": 5, "socket_connect_timeout": 1, "socket_timeout": 1}}`.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_AWAY = (RedisConnectionError, RedisTimeoutError, OSError)

# Per Redis location and shared by every thread's backend instance: when Redis is down it is
# down for the whole process.
_down_until: dict[str, float] = {}


def _or_when_redis_is_away(fallback):
    """Run the cache operation; when Redis is away, return `fallback(*args, **kwargs)`."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < _down_until.get(self._location, 0.0):
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except REDIS_AWAY as exc:
                _down_until[self._location] = time.monotonic() + self.retry_after
                logger.warning(
                    "Redis (bộ nhớ đệm) không trả lời, trang được dựng không dùng bộ nhớ đệm "
                    "trong %s giây: %s",
                    self.retry_after,
                    type(exc).__name__,
                )
                return fallback(*args, **kwargs)

        return wrapper

    return decorator


def _default_arg(key, default=None, version=None):
    return default


def _not_found(key, *args, **kwargs):
    # What incr() raises for a missing key: callers already handle it.
    raise ValueError(f"Key '{key}' not found (Redis không trả lời)")


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` for every cache operation; building one
    fills its table of ~160 response callbacks, a quarter to a third of a page-cache hit's
    CPU. A client is safe to share (each command takes a connection from the pool): one per
    pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        self._location = server if isinstance(server, str) else ",".join(server)

    add = _or_when_redis_is_away(lambda *a, **k: False)(RedisCache.add)
    get = _or_when_redis_is_away(_default_arg)(RedisCache.get)
    set = _or_when_redis_is_away(lambda *a, **k: None)(RedisCache.set)
    touch = _or_when_redis_is_away(lambda *a, **k: False)(RedisCache.touch)
    delete = _or_when_redis_is_away(lambda *a, **k: False)(RedisCache.delete)
    get_many = _or_when_redis_is_away(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _or_when_redis_is_away(lambda *a, **k: False)(RedisCache.has_key)
    incr = _or_when_redis_is_away(_not_found)(RedisCache.incr)
    set_many = _or_when_redis_is_away(lambda data, *a, **k: list(data))(RedisCache.set_many)
    delete_many = _or_when_redis_is_away(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _or_when_redis_is_away(lambda *a, **k: False)(RedisCache.clear)


def forget_redis_failures() -> None:
    """Try Redis again at once (tests, after they restart it)."""
    _down_until.clear()
