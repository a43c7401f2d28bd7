"""Settings shared by every environment. Environment-specific modules import from here."""

from pathlib import Path

from celery.schedules import crontab
from kombu import Queue

from .databases import database_from_url
from .environment import env_list, env_str, env_whole_number
from .languages import (  # translations (issue 6): content languages, machine translator
    LANGUAGE_APPS,
    PORTAL_LANGUAGES,
    WAGTAIL_CONTENT_LANGUAGES,  # noqa: F401
    WAGTAIL_I18N_ENABLED,  # noqa: F401
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR,  # noqa: F401
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "home",
    "bulletins",
    "search",
    "editorial",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.search_promotions",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "background",
    "caching",  # page cache, Cache-Control, CDN purge (portal/settings/caching.py)
    "stats",
    "backup",
    "imports",
    *LANGUAGE_APPS,
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Page cache hits are answered here; it stores what every middleware below adds.
    "caching.page_cache.PageCacheMiddleware",
    "caching.cache_control.CacheControlMiddleware",  # outside everything that sets cookies
    "portal.sites.CachedSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite is the embedded default; any DATABASE_URL (postgres://...) replaces it.
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
# Vietnamese first; further content languages come from PORTAL_LANGUAGES (settings/languages.py).
LANGUAGES = PORTAL_LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's Vietnamese locale defines no input formats; without these "05/04/2024" would be
# read the American way, as 4 May.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Cache: Redis when REDIS_URL is given, otherwise process-local memory. Django's Redis backend,
# wrapped so that a stopped Redis is a cache miss, not a 500 (portal/cache.py).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "portal"),
            "OPTIONS": {"RETRY_AFTER": 5, "socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- caching: page cache, Cache-Control, frontend cache purge (the `caching` app) ---
from .caching import *  # noqa: E402, F403

# Wagtail 8 queues its own jobs (search index, reference index, renditions) through
# django-tasks. The embedded default runs them in-process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Production (with REDIS_URL) sends them to the Celery workers instead (portal/tasks_backend.py).
CELERY_TASKS_BACKEND = {
    "BACKEND": "portal.tasks_backend.CeleryBackend",
    "QUEUES": ["default"],
    "OPTIONS": {"BROKER_RETRY_AFTER": 10},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Cổng thông tin điện tử")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Slugs stay ASCII: the admin's JS and the models both fold Vietnamese (đ → d).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "doc",
    "docx",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xls",
    "xlsx",
    "zip",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]


# Our subclasses of modelsearch's backends (search/backends/) add what Vietnamese text needs.
VIETNAMESE_SEARCH_BACKENDS = {
    "database": "search.backends.database",
    "elasticsearch9": "search.backends.elasticsearch9",
    "opensearch3": "search.backends.opensearch3",
}


def _search_backends() -> dict:
    """WAGTAILSEARCH_BACKENDS from SEARCH_BACKEND (database, elasticsearch9, opensearch3)."""
    backend = env_str("SEARCH_BACKEND", "database")
    module = VIETNAMESE_SEARCH_BACKENDS.get(backend, f"wagtail.search.backends.{backend}")
    if backend == "database":
        return {"default": {"BACKEND": module}}
    return {
        "default": {
            "BACKEND": module,
            "URLS": env_list("SEARCH_URL", ["http://localhost:9200"]),
            "INDEX_PREFIX": env_str("SEARCH_INDEX_PREFIX", "portal_"),
            "TIMEOUT": int(env_str("SEARCH_TIMEOUT", "10")),
            # Documents per bulk request when indexing (search.backends.bulk).
            "BULK_CHUNK_SIZE": int(env_str("SEARCH_BULK_CHUNK_SIZE", "100")),
            # update_index fills a new index, then swaps the alias `<prefix>wagtailcore_page`
            # onto it: readers search the old index until the new one is complete.
            "ATOMIC_REBUILD": True,
        }
    }


WAGTAILSEARCH_BACKENDS = _search_backends()

# Celery (background work): broker and results on the same Redis as the cache.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With acks_late, a task whose worker process is killed goes back to the queue, and so does one
# running when the worker loses Redis (it could not be acknowledged; tasks are idempotent).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# django-tasks' queue name, so Wagtail's jobs and the portal's own tasks share one queue.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose whole worker is killed (SIGKILL, power loss) stays unacknowledged in Redis and
# goes back to the queue once it has been out this long (checked when a worker starts and every
# ~100 s); longer than the longest retry countdown (10 min), or a waiting retry would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "visibility_timeout": int(env_str("CELERY_VISIBILITY_TIMEOUT", "900")),
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
# Celery retries a result write 20 times by default, about 20 s with Redis stopped.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
}
CELERY_BEAT_SCHEDULE = {
    # Wagtail's scheduled publishing: go-live and expiry times, at the start of every minute.
    "xuat-ban-theo-lich": {
        "task": "home.tasks.publish_scheduled_pages",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    # Jobs kept in the database while Redis was away (background.PendingTask).
    "gui-viec-nen-cho": {
        "task": "background.tasks.flush_pending_tasks",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    # Search index updates missed while the search engine was away (background.index_catch_up).
    "bat-kip-chi-muc-tim-kiem": {
        "task": "background.tasks.catch_up_search_index",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    # View counts ("Lượt xem") counted in Redis, moved to the database (stats.counter).
    "ghi-luot-xem": {
        "task": "stats.tasks.flush_view_counts",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
}

# --- View counter ("Lượt xem", stats app) ---
# Counted in Redis and flushed to the database every minute by beat; without Redis, counted
# straight in the database. A reader (address + browser) counts once per page per window.
VIEW_COUNT_REDIS_URL = REDIS_URL
VIEW_COUNT_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "portal") + ":luot-xem"
VIEW_COUNT_REPEAT_SECONDS = 60
# How many proxies in front of the portal append to X-Forwarded-For (production: 1, the TLS
# proxy). The reader's address is the one the outermost of them appended; what a client wrote
# there itself is not believed. 0: REMOTE_ADDR, the embedded default with no proxy.
TRUSTED_PROXY_COUNT = env_whole_number("TRUSTED_PROXY_COUNT", 0)
# --- end view counter ---
# --- Production issue: Celery queues. A large import must never delay a publish: import tasks
# (any task named `*.import_*`) go to the `imports` queue, everything else, Wagtail's jobs and
# scheduled publishing included, to `default`. A plain `celery worker` consumes both; past one
# machine, run workers per queue (`--queues default`, `--queues imports`), docs/deploy.md.
CELERY_TASK_QUEUES = [Queue("default"), Queue("imports")]
CELERY_TASK_ROUTES = {"*.import_*": {"queue": "imports"}}
# Where `manage.py backup` writes its timestamped folders (backup/).
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "backups")))
