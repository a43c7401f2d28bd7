"""`/healthz`: whether the services the portal needs answer, for load balancers and monitoring.

Database and cache are always required. The broker (Redis) is required when Celery has one
(REDIS_URL); the search engine when SEARCH_BACKEND is an engine (with database search, the
database check covers it). HTTP 200 only when every required one answers, 503 otherwise. Only
the name of an error is shown, never its message (which may carry a URL with a password).
"""

import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# Seconds a check may take: a probe that hangs is worse than one that says no.
CHECK_TIMEOUT = 2


class NotRequired(Exception):
    """Raised by a check whose service this configuration does not use."""


@dataclass
class Check:
    required: bool
    ok: bool | None  # None: not used by this configuration, not checked
    detail: str
    ms: float


def check_database() -> str:
    connection = connections["default"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return f"{connection.vendor} trả lời"


def check_cache() -> str:
    # A round trip, not a ping: the fail-safe Redis cache turns errors into misses.
    cache = caches["default"]
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 30)
    answered = cache.get(key) == value
    cache.delete(key)
    if not answered:
        raise ConnectionError("bộ nhớ đệm không giữ được giá trị")
    return f"{cache.__class__.__name__} đọc ghi được"


def check_broker() -> str:
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not url.startswith(("redis://", "rediss://")):
        raise NotRequired("không dùng: việc nền chạy ngay trong tiến trình (chưa đặt REDIS_URL)")
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # redis-py retries 3 times with backoff by default: a probe asks once.
    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=CHECK_TIMEOUT,
        socket_timeout=CHECK_TIMEOUT,
        retry=Retry(NoBackoff(), 0),
    )
    try:
        client.ping()
    finally:
        client.close()
    return "Redis trả lời"


def check_search_engine() -> str:
    from wagtail.search.backends import get_search_backend

    client = getattr(get_search_backend(), "es", None)
    if client is None:
        raise NotRequired("không dùng: tìm kiếm bằng cơ sở dữ liệu")
    if hasattr(client, "options"):  # Elasticsearch 9
        info = client.options(request_timeout=CHECK_TIMEOUT, max_retries=0).info()
    else:  # OpenSearch
        info = client.info(request_timeout=CHECK_TIMEOUT)
    version = (info.get("version") or {}).get("number", "?")
    return f"máy tìm kiếm trả lời (phiên bản {version})"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "search_engine": check_search_engine,
}


def run_checks() -> dict[str, Check]:
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            detail = check()
        except NotRequired as skipped:
            required, ok, detail = False, None, str(skipped)
        except Exception as exc:  # a probe reports; it never raises
            required, ok, detail = True, False, f"không trả lời ({type(exc).__name__})"
        else:
            required, ok = True, True
        ms = round((time.perf_counter() - started) * 1000, 1)
        results[name] = Check(required=required, ok=ok, detail=detail, ms=ms)
    return results


@require_safe
@never_cache
def healthz(request):
    checks = run_checks()
    healthy = all(check.ok for check in checks.values() if check.required)
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "trang_thai": "hoạt động bình thường" if healthy else "có dịch vụ không trả lời",
            "checks": {name: asdict(check) for name, check in checks.items()},
        },
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )
