"""Production: every secret comes from the environment, and is required."""

from .base import *  # noqa: F403
from .databases import database_from_url
from .deployment import (
    content_security_policies,
    init_sentry,
    json_logging,
    media_storage,
    replica_database,
)
from .environment import env_bool, env_list, env_required, env_str, env_whole_number

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
DATABASES = {
    "default": database_from_url(
        env_required("DATABASE_URL"), conn_max_age=600, conn_health_checks=True
    )
}
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# With Redis, Wagtail's own jobs (search index, reference index, images) go to the Celery
# workers, sent when the transaction commits; without it they run in the request.
if REDIS_URL:  # noqa: F405
    TASKS = {"default": CELERY_TASKS_BACKEND}  # noqa: F405

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The TLS proxy appends the reader's address to X-Forwarded-For (the view counter reads it).
TRUSTED_PROXY_COUNT = env_whole_number("TRUSTED_PROXY_COUNT", 1)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"


# --- Production issue (deployment): clickjacking, CSP, media storage, logs, Sentry, replica ---
# The helpers live in portal/settings/deployment.py; each reads its own environment variables.
# Collected at image build; a test or a host install may collect elsewhere.
STATIC_ROOT = env_str("STATIC_ROOT") or STATIC_ROOT  # noqa: F405
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

STORAGES["default"], MEDIA_URL = media_storage()

(
    CONTENT_SECURITY_POLICY,
    CONTENT_SECURITY_POLICY_ADMIN,
    CONTENT_SECURITY_POLICY_ADMIN_PATHS,
) = content_security_policies(MEDIA_URL)
MIDDLEWARE = [  # noqa: F405
    *MIDDLEWARE[:1],  # noqa: F405  SecurityMiddleware stays first
    "portal.csp.ContentSecurityPolicyMiddleware",
    *MIDDLEWARE[1:],  # noqa: F405
]

# Reader traffic from the read replica when there is one (portal/db_router.py).
if replica := replica_database():
    DATABASES["replica"] = replica
    DATABASE_ROUTERS = ["portal.db_router.ReaderReplicaRouter"]
    MIDDLEWARE.insert(1, "portal.db_router.ReaderTrafficMiddleware")

LOGGING = json_logging(env_str("LOG_LEVEL", "INFO"))
SENTRY_ENABLED = init_sentry()
# --- end of the production issue's section ---
