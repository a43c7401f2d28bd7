"""Production settings that depend on the deployment: where media live, the
Content-Security-Policy that follows from that, JSON logs, Sentry and a read replica.

Each helper reads its own environment variables and returns plain settings values;
`production.py` assigns them in one marked section.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .databases import database_from_url
from .environment import env_list, env_str

LOCAL_MEDIA = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def media_storage() -> tuple[dict, str]:
    """STORAGES["default"] and MEDIA_URL: local disk (MEDIA_ROOT), or an S3-compatible bucket
    when AWS_STORAGE_BUCKET_NAME is set (django-storages, the `s3` extra). Keys come from
    AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, which boto3 reads itself."""
    bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return LOCAL_MEDIA, "/media/"
    endpoint = env_str("AWS_S3_ENDPOINT_URL").rstrip("/")
    domain = env_str("AWS_S3_CUSTOM_DOMAIN")  # the CDN's host name in front of the bucket
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "region_name": env_str("AWS_S3_REGION_NAME") or None,
        "custom_domain": domain or None,
        "location": env_str("AWS_LOCATION"),
        # Public media are public objects at stable URLs: no signed, expiring query strings,
        # which a CDN could not cache. ACLs stay with the bucket's policy.
        "querystring_auth": False,
        "default_acl": None,
        "file_overwrite": False,
    }
    if domain:
        media_url = f"https://{domain}/"
    elif endpoint:
        media_url = f"{endpoint}/{bucket}/"
    else:
        media_url = f"https://{bucket}.s3.amazonaws.com/"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, media_url


def origin_of(url: str) -> str | None:
    """`https://cdn.example.org` for a full URL; None for a path on the portal itself."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def content_security_policies(media_url: str) -> tuple[dict, dict, list[str]]:
    """The reader policy, the admin policy and the path prefixes that get the admin's.

    Reader pages: the portal's own origin only, plus the media origin when media live on
    object storage or a CDN. Embedded players (YouTube and the like) are third-party frames: a
    bulletin allows its own players' origins (portal.csp.allow_frames); CSP_FRAME_SRC lists
    origins every reader page may frame (none by default).
    """
    media = [origin] if (origin := origin_of(media_url)) else []
    reader = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *media],
        "media-src": ["'self'", *media],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *env_list("CSP_FRAME_SRC")],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    # Wagtail's admin runs inline scripts and styles, shows embed previews and image previews
    # from anywhere an editor pasted; it still may not be framed by another site.
    admin = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "media-src": ["'self'", "blob:", "https:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
    return reader, admin, ["/admin/", "/django-admin/"]


def json_logging(level: str) -> dict:
    """Every log record as one JSON line on stdout (portal/json_logging.py)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "portal.json_logging.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # Django's own loggers have handlers of their own (mail_admins, console): use ours.
            "django": {"handlers": ["stdout"], "level": level, "propagate": False},
            # 4xx/5xx with their tracebacks, whatever LOG_LEVEL says.
            "django.request": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
            # The search clients log every request at INFO: only their failures.
            "elastic_transport": {"level": "WARNING"},
            "opensearch": {"level": "WARNING"},
        },
    }


def init_sentry() -> bool:
    """Send errors to Sentry (or a compatible service) when SENTRY_DSN is set; False if not."""
    dsn = env_str("SENTRY_DSN")
    if not dsn:
        return False
    try:
        import sentry_sdk
        from sentry_sdk.integrations.celery import CeleryIntegration
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as exc:
        raise ImproperlyConfigured(
            "SENTRY_DSN được đặt nhưng chưa cài sentry-sdk: pip install '.[sentry]' "
            "(SENTRY_DSN is set but sentry-sdk is not installed)."
        ) from exc
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE") or None,
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
        # Readers' and editors' addresses and cookies stay out of the reports.
        send_default_pii=False,
    )
    return True


def replica_database() -> dict | None:
    """DATABASES["replica"] from DATABASE_REPLICA_URL, or None (portal/db_router.py)."""
    url = env_str("DATABASE_REPLICA_URL")
    if not url:
        return None
    return database_from_url(url, conn_max_age=600, conn_health_checks=True)
