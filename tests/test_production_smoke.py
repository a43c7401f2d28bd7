"""A production-like smoke test: gunicorn with portal.settings.production on the PostgreSQL test
database, a real Redis (cache and broker), a Celery worker with the same settings and the search
engine (osmem-server, through the OpenSearch 3 backend), over HTTP, and Chromium checking that
the reader scripts run under the Content-Security-Policy. The pages are committed
(transaction=True) so that the other processes see them."""

import json
import os
import secrets
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import BulletinPageFactory
from tests.servers import SERVERS_DIR, CeleryWorker, _wait_until, database_url_for, free_port

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.celery,
    pytest.mark.search_engine,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PUBLISHED_BY_THE_WORKER = "Vận hành thử: bản tin xuất bản qua hàng đợi"


@pytest.fixture
def production(redis_server, search_engine, tmp_path):
    """The environment every production process of this test shares."""
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn and the worker need the PostgreSQL test database")
    run = uuid.uuid4().hex[:8]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "SENTRY_", "DATABASE_", "SEARCH_", "CSP_"))
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": database_url_for(connection.settings_dict["NAME"]),
        # A Redis database of its own: the session's test worker listens on the default one and
        # would take this stack's jobs (and index them with the test settings' backend).
        "REDIS_URL": redis_server.url.rsplit("/", 1)[0] + "/7",
        "CACHE_KEY_PREFIX": f"smoke-{run}",
        "SEARCH_BACKEND": "opensearch3",
        "SEARCH_URL": search_engine.url,
        "SEARCH_INDEX_PREFIX": f"smoke_{run}_",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict, *args: str, code: str | None = None) -> None:
    command = [sys.executable, "manage.py", *args] if code is None else [sys.executable, "-c", code]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def worker(production, redis_server):
    worker = CeleryWorker(
        database_url=production["DATABASE_URL"],
        redis_url=production["REDIS_URL"],
        environment=production,
        name="smoke",
        queues="default,imports",
    ).start()
    yield worker
    # The database flush after a transactional test must not race the worker's last job.
    worker.wait_until_idle()
    worker.stop()


class Gunicorn:
    def __init__(self, env: dict):
        self.port = free_port()
        self.log_path = SERVERS_DIR / f"gunicorn-smoke-{os.getpid()}.log"
        SERVERS_DIR.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                # The image's gunicorn settings (threads, keep-alive), as in production.
                [str(Path(sys.executable).parent / "gunicorn"), "portal.wsgi"]
                + ["--config", str(ROOT / "docker" / "gunicorn.conf.py")]
                + ["--workers", "2", "--bind", f"127.0.0.1:{self.port}"]
                + ["--access-logfile", "-", "--log-level", "info"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        _wait_until(self.answers, 60, "gunicorn")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{self.log()[-3000:]}")
        try:
            self.get("/healthz")
        except (OSError, urllib.error.HTTPError):
            return False
        return True

    def get(self, path: str, https: bool = True) -> tuple[int, dict, str]:
        # The TLS proxy in front of production sets X-Forwarded-Proto.
        headers = {"Host": "localhost", **({"X-Forwarded-Proto": "https"} if https else {})}
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


@pytest.fixture
def gunicorn(production):
    server = Gunicorn(production)
    yield server
    server.stop()


def test_production_stack_serves_readers_with_no_error_in_the_logs(production, category, worker):
    bulletin = BulletinPageFactory(parent=category, title="Khai mạc hội chợ nông sản Bắc Giang")
    manage(production, "collectstatic", "--no-input", "-v0")
    # The index, built as after a deployment (and its alias swapped on).
    manage(production, "update_index", "-v0")
    server = Gunicorn(production)
    try:
        pages = {
            "home": "/",
            "category": category.url,
            "bulletin": bulletin.url,
            "search": "/tim-kiem/?q=h%E1%BB%99i+ch%E1%BB%A3",
        }
        for name, path in pages.items():
            status, headers, html = server.get(path)
            assert status == 200, (name, path)
            if name != "search":
                assert headers.get("X-Page-Cache") == "miss", name
                assert server.get(path)[1].get("X-Page-Cache") == "hit", name
            assert "Content-Security-Policy" in headers, name
            assert "Strict-Transport-Security" in headers, name
        # Results link to the bulletin (its title is there too, with the terms highlighted).
        assert f'href="{bulletin.url}"' in server.get(pages["search"])[2]

        # Plain HTTP is redirected to HTTPS, except the load balancer's probe.
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener = urllib.request.build_opener(NoRedirect)
            opener.open(
                urllib.request.Request(
                    f"http://127.0.0.1:{server.port}/", headers={"Host": "localhost"}
                ),
                timeout=30,
            )
        assert redirect.value.code == 301
        status, _, body = server.get("/healthz", https=False)
        health = json.loads(body)
        assert status == 200 and health["status"] == "ok", health
        for service in ("database", "cache", "broker", "search_engine"):
            assert health["checks"][service]["ok"] is True, (service, health)

        reader_scripts_run_under_the_policy(server, bulletin)

        # An editor's publish: its index job goes through Redis to the worker, which puts it
        # in the engine, where the reader search served by gunicorn finds it.
        manage(
            production,
            code=(
                "import django; django.setup(); from bulletins.models import BulletinPage; "
                f"page = BulletinPage.objects.get(pk={bulletin.pk}); "
                f"page.title = {PUBLISHED_BY_THE_WORKER!r}; page.save_revision().publish()"
            ),
        )

        def found_by_search() -> bool:
            # "hàng đợi" is only in the new title.
            html = server.get("/tim-kiem/?q=h%C3%A0ng+%C4%91%E1%BB%A3i")[2]
            return f'href="{bulletin.url}"' in html

        _wait_until(found_by_search, 60, "the worker's index update, seen by reader search")
        # The bulletin was served from the page cache (Redis, and each gunicorn process's own
        # copy): a publish made in another process reaches both within about a second.
        _wait_until(
            lambda: PUBLISHED_BY_THE_WORKER in server.get(bulletin.url)[2],
            10,
            "the published title on the cached bulletin page",
        )
        worker.wait_until_idle()
        assert "insert_or_update_object_task[" in worker.log()
        assert " succeeded in " in worker.log()
    finally:
        server.stop()

    for name, log in (("gunicorn", server.log()), ("worker", worker.log())):
        assert "Traceback" not in log, f"{name}:\n{log[-3000:]}"
        assert "ERROR" not in log, f"{name}:\n{log[-3000:]}"


def reader_scripts_run_under_the_policy(server: Gunicorn, bulletin) -> None:
    """In Chromium: the font-size buttons and the search suggestions (the portal's own scripts
    and its fetch) work under the reader CSP, and the browser reports no violation."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium is required: {CHROMIUM} not found (make browser)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_extra_http_headers({"X-Forwarded-Proto": "https"})
            page.add_init_script(
                "window.cspViolations = [];"
                "document.addEventListener('securitypolicyviolation', event =>"
                " window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));"
            )
            base = f"http://127.0.0.1:{server.port}"
            page.goto(base + bulletin.url)
            size = "el => parseFloat(getComputedStyle(el).fontSize)"
            before = page.eval_on_selector("#article .article-body", size)
            page.get_by_role("button", name="Tăng cỡ chữ").click()
            assert page.eval_on_selector("#article .article-body", size) > before
            assert page.evaluate("window.cspViolations") == []

            page.goto(base + "/")
            page.get_by_role("combobox", name="Tìm kiếm tin bài").fill("khai mac hoi cho")
            page.get_by_role("option", name="Khai mạc hội chợ nông sản Bắc Giang").wait_for()
            assert page.evaluate("window.cspViolations") == []
        finally:
            browser.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
