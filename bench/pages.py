"""Reader-page benchmark: gunicorn (2 sync workers, production settings, SQLite) over an
archive of N bulletins; concurrent readers request a bulletin, a category and the home page.

Usage: .venv/bin/python bench/pages.py [--sizes 100 10000] [--concurrency 8] [--seconds 15]
Prints requests/s and p50/p95 latency per page and archive size. Not part of CI.
"""

import argparse
import http.client
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(workdir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(workdir / "media"),
    }


def prepare(workdir: Path, bulletins: int) -> dict:
    env = server_env(workdir)
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [PYTHON, str(ROOT / "bench" / "build_archive.py"), str(bulletins)],
        env=env,
        check=True,
        cwd=ROOT,
    )
    return env


def sample_urls(env: dict) -> dict[str, str]:
    script = (
        "import django; django.setup();"
        "from bulletins.models import BulletinPage, BulletinIndexPage;"
        "b = BulletinPage.objects.live().order_by('-date').first();"
        "c = BulletinIndexPage.objects.live().first();"
        "print(b.url); print(c.url)"
    )
    out = subprocess.run(
        [PYTHON, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    return {"bulletin": out[0], "category": out[1], "home": "/"}


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def drive(port: int, path: str, concurrency: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def reader():
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, failed = [], 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=reader) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "errors": errors,
    }


def run(bulletins: int, concurrency: int, seconds: float, keep: Path | None) -> list[tuple]:
    workdir = keep / str(bulletins) if keep else Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        if (workdir / "bench.sqlite3").exists():
            print(f"== reusing the archive of {bulletins} bulletins in {workdir}", flush=True)
            env = server_env(workdir)
        else:
            print(f"== building an archive of {bulletins} bulletins", flush=True)
            workdir.mkdir(parents=True, exist_ok=True)
            env = prepare(workdir, bulletins)
        urls = sample_urls(env)
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "portal.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            wait_for(port)
            rows = []
            for name, path in urls.items():
                drive(port, path, concurrency, 2)  # warm up both workers
                result = drive(port, path, concurrency, seconds)
                rows.append((bulletins, name, result))
                print(
                    f"{bulletins:>6} {name:<9} {result['rps']:7.1f} req/s  "
                    f"p50 {result['p50_ms']:6.1f} ms  p95 {result['p95_ms']:6.1f} ms  "
                    f"errors {result['errors']}",
                    flush=True,
                )
            return rows
        finally:
            server.terminate()
            server.wait(10)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument(
        "--keep", type=Path, help="keep the archives in this folder and reuse them on later runs"
    )
    args = parser.parse_args()
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    rows = [
        row for size in args.sizes for row in run(size, args.concurrency, args.seconds, args.keep)
    ]
    print("\n| bulletins | page | req/s | p50 ms | p95 ms | errors |\n|---|---|---|---|---|---|")
    for size, name, r in rows:
        print(
            f"| {size} | {name} | {r['rps']:.1f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} "
            f"| {r['errors']} |"
        )


if __name__ == "__main__":
    main()
