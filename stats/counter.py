"""The view counter ("Lượt xem").

With Redis (VIEW_COUNT_REDIS_URL, REDIS_URL by default) a view is one Redis call and no
database write: it adds one to the page's field in a Redis hash of pending counts. Beat's
`stats.tasks.flush_view_counts` moves those counts to `ViewCount` every minute:

1. RENAME the hash to a batch key of its own: views that arrive afterwards start a new hash, so
   none is lost between reading the counts and resetting them;
2. add the batch to the database, in one transaction with a `FlushedBatch` row named after it;
3. delete the batch key.

A flush that dies between 2 and 3 leaves the batch in Redis; the next flush finds it, sees its
`FlushedBatch` row and only deletes it, so a batch is never added twice (idempotent). A Redis
restart loses only the views since the last flush; the database keeps the rest.

Without Redis (the embedded default, one process) each view is added in the database with an
F() update: no lost updates, one small write per view, fine for a single-machine portal.

A reader counts once per page every VIEW_COUNT_REPEAT_SECONDS (address + browser), so a
reload loop does not inflate a count. When Redis does not answer, views are not counted (the
page still shows the database count) and Redis is left alone for a few seconds.
"""

import hashlib
import logging
import time
import uuid
from datetime import timedelta

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry
from wagtail.models import Page

from .models import FlushedBatch, ViewCount

logger = logging.getLogger(__name__)

REDIS_AWAY = (redis.ConnectionError, redis.TimeoutError, OSError)
RETRY_AFTER = 5
# Batch ids only need to outlive a crashed flush's leftovers.
KEEP_FLUSHED_BATCHES = timedelta(days=7)

# One atomic step: count the view unless this reader counted it within the window; return
# whether it counted and the page's pending (not yet flushed) count.
RECORD_SCRIPT = """
if tonumber(ARGV[2]) > 0 and not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then
  return {0, tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')}
end
return {1, redis.call('HINCRBY', KEYS[1], ARGV[1], 1)}
"""

_clients: dict[str, redis.Redis] = {}
_down_until = 0.0


def _redis() -> redis.Redis | None:
    url = settings.VIEW_COUNT_REDIS_URL
    if not url:
        return None
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(
            url,
            socket_connect_timeout=0.5,
            socket_timeout=1,
            retry=Retry(NoBackoff(), 0),
        )
    return _clients[url]


def _key(*parts: str) -> str:
    return ":".join([settings.VIEW_COUNT_KEY_PREFIX, *parts])


def _pending_key() -> str:
    return _key("cho-ghi")


def _batch_key(batch_id: str) -> str:
    return _key("dang-ghi", batch_id)


def reader_fingerprint(address: str, user_agent: str) -> str:
    return hashlib.blake2b(f"{address}|{user_agent}".encode(), digest_size=12).hexdigest()


def stored_count(page_id: int) -> int:
    """The count in the database (what the last flush left)."""
    return ViewCount.objects.filter(page_id=page_id).values_list("count", flat=True).first() or 0


def record_view(page_id: int, reader: str, stored: int) -> tuple[bool, int]:
    """Count one view of `page_id` by `reader` (a fingerprint). `stored` is the page's count in
    the database. Returns (counted, the count to show)."""
    global _down_until
    window = int(settings.VIEW_COUNT_REPEAT_SECONDS)
    client = _redis()
    if client is None:
        return _record_in_database(page_id, reader, window, stored)
    if time.monotonic() < _down_until:
        return False, stored
    try:
        counted, pending = client.eval(
            RECORD_SCRIPT, 2, _pending_key(), _key("da-xem", str(page_id), reader), page_id, window
        )
    except REDIS_AWAY as exc:
        _down_until = time.monotonic() + RETRY_AFTER
        logger.warning("Redis (lượt xem) không trả lời, tạm không đếm lượt xem: %s", exc)
        return False, stored
    return bool(counted), stored + int(pending)


def _record_in_database(page_id: int, reader: str, window: int, stored: int) -> tuple[bool, int]:
    if window > 0 and not cache.add(_key("da-xem", str(page_id), reader), 1, window):
        return False, stored
    _add_counts({page_id: 1})
    return True, stored_count(page_id)


def _add_counts(deltas: dict[int, int]) -> None:
    """Add to the pages' counts; pages deleted meanwhile are skipped. Rows are created first
    (ignoring ones that exist), so concurrent adds never race on a missing row."""
    existing = set(Page.objects.filter(pk__in=deltas).values_list("pk", flat=True))
    ViewCount.objects.bulk_create([ViewCount(page_id=pk) for pk in existing], ignore_conflicts=True)
    for pk in sorted(existing):  # one order, so two flushes cannot deadlock
        ViewCount.objects.filter(page_id=pk).update(
            count=F("count") + deltas[pk], updated_at=timezone.now()
        )


def flush() -> int:
    """Move the pending counts from Redis to the database; returns how many views it added.
    A no-op without Redis. Raises the Redis error when Redis is away (the task retries)."""
    client = _redis()
    if client is None:
        return 0
    added = 0
    # Batches a flush left behind when it died (before step 3).
    for key in client.scan_iter(match=_batch_key("*")):
        added += _flush_batch(client, key.decode().rsplit(":", 1)[1])
    batch_id = uuid.uuid4().hex
    try:
        client.rename(_pending_key(), _batch_key(batch_id))
    except redis.ResponseError:  # no pending views
        pass
    else:
        added += _flush_batch(client, batch_id)
    FlushedBatch.objects.filter(flushed_at__lt=timezone.now() - KEEP_FLUSHED_BATCHES).delete()
    return added


def _flush_batch(client: redis.Redis, batch_id: str) -> int:
    key = _batch_key(batch_id)
    deltas = {int(pk): int(n) for pk, n in client.hgetall(key).items()}
    added = 0
    # An empty read means another flush already added and deleted this batch.
    if deltas:
        with transaction.atomic():
            _, new = FlushedBatch.objects.get_or_create(batch_id=batch_id)
            if new:
                _add_counts(deltas)
                added = sum(deltas.values())
    client.delete(key)
    return added


def forget_redis_failure() -> None:
    """Try Redis again at once (tests, after they restart it)."""
    global _down_until
    _down_until = 0.0
    for client in _clients.values():
        client.close()
    _clients.clear()
