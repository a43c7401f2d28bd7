"""Legacy import benchmark: `manage.py import_publishingportal` over N generated dumps.

Usage: .venv/bin/python bench/import.py [--sizes 1000 10000] [--workers 1 2] [--postgres]
       [--no-sqlite]

For each size, N dumps are written in the legacy layout (tests.legacy_dumps, from the
deterministic generator in tests.vietnamese_text, cited documents included). For each database
and worker count, a fresh database is migrated, given a home page and a category, and the
import runs in a subprocess under production settings; the table gives bulletins/s (wall
clock of the import command, Python start-up included) and the peak RSS of the largest process
of the import (resource.getrusage(RUSAGE_CHILDREN).ru_maxrss, taken in a wrapper process so
that nothing else is counted). SQLite is a file; PostgreSQL (`--postgres`) is the embedded
server of tests/servers.py, started in the benchmark's own directory. Not part of CI.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from harness import CATEGORY_SLUG, SETUP_SCRIPT, machine, production_env

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
MANAGE = str(ROOT / "manage.py")

# Runs the command as its child and prints that child's peak RSS (KB on Linux).
MEASURE_SCRIPT = """
import resource, subprocess, sys, time
started = time.perf_counter()
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.perf_counter() - started
sys.stderr.write(result.stderr)
print(result.returncode, elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "")
"""


def write_dumps(folder: Path, count: int) -> None:
    from tests.legacy_dumps import write_archive

    for _ in write_archive(folder, count, seed=2024, missing_author_rate=0.05):
        pass


def prepare_database(env: dict) -> None:
    setup = (["migrate", "--no-input", "-v0"], ["shell", "--no-imports", "-c", SETUP_SCRIPT])
    for command in setup:
        subprocess.run([PYTHON, MANAGE, *command], env=env, check=True, cwd=ROOT)


def measure_import(env: dict, archive: Path, workers: int) -> tuple[float, int, str]:
    command = [
        PYTHON,
        MANAGE,
        "import_publishingportal",
        str(archive),
        "--into",
        CATEGORY_SLUG,
        "--workers",
        str(workers),
    ]
    result = subprocess.run(
        [PYTHON, "-c", MEASURE_SCRIPT, *command],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    status, summary = result.stdout.strip().split("\n", 1)
    code, seconds, rss_kb = status.split()
    if code != "0":
        raise RuntimeError(f"import failed ({code}): {result.stderr[-2000:]}")
    return float(seconds), int(rss_kb), summary


class Databases:
    """Fresh, empty databases on demand: SQLite files, or databases on one embedded server."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.count = 0
        self._postgres_uri: str | None = None

    def sqlite(self) -> str:
        self.count += 1
        return f"sqlite:///{self.workdir / f'bench-{self.count}.sqlite3'}"

    def postgres(self) -> str:
        import psycopg

        if self._postgres_uri is None:
            # tests.servers keeps its server under TEST_SERVERS_DIR: a directory of our own, so
            # the benchmark never shares a server with a test run.
            os.environ["TEST_SERVERS_DIR"] = str(self.workdir / "servers")
            from tests.servers import embedded_postgres_url

            self._postgres_uri = embedded_postgres_url()
        self.count += 1
        name = f"bench_import_{self.count}"
        with psycopg.connect(self._postgres_uri, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name}")
            connection.execute(f"CREATE DATABASE {name}")
        # postgresql://postgres:@/postgres?host=/socket/dir: swap the database in the path.
        return urlunsplit(urlsplit(self._postgres_uri)._replace(path=f"/{name}"))

    def close(self) -> None:
        """Stop the embedded server before its directory is removed."""
        if self._postgres_uri is not None:
            import embedded_postgres

            from tests.servers import SERVERS_DIR

            embedded_postgres.get_server(SERVERS_DIR / "postgres").cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL 18")
    parser.add_argument("--no-sqlite", action="store_true", help="skip SQLite")
    args = parser.parse_args()

    engines = ([] if args.no_sqlite else ["sqlite"]) + (["postgresql"] if args.postgres else [])
    print(f"machine: {machine()}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    rows = []
    databases = Databases(workdir)
    try:
        for size in args.sizes:
            archive = workdir / f"archive-{size}"
            started = time.perf_counter()
            write_dumps(archive, size)
            print(f"== {size} dumps written in {time.perf_counter() - started:.1f} s", flush=True)
            for engine in engines:
                for workers in args.workers:
                    url = databases.sqlite() if engine == "sqlite" else databases.postgres()
                    env = production_env(url, workdir)
                    prepare_database(env)
                    seconds, rss_kb, summary = measure_import(env, archive, workers)
                    rows.append((size, engine, workers, seconds, size / seconds, rss_kb))
                    print(
                        f"{size:>6} {engine:<10} workers={workers} {seconds:7.1f} s "
                        f"{size / seconds:6.1f} bulletins/s  peak RSS {rss_kb / 1024:.0f} MB  "
                        f"[{summary}]",
                        flush=True,
                    )
            shutil.rmtree(archive, ignore_errors=True)
    finally:
        databases.close()
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        "\n| bulletins | database | workers | seconds | bulletins/s | peak RSS (MB) |"
        "\n|---|---|---|---|---|---|"
    )
    for size, engine, workers, seconds, rate, rss_kb in rows:
        print(
            f"| {size} | {engine} | {workers} | {seconds:.1f} | {rate:.1f} | {rss_kb / 1024:.0f} |"
        )


if __name__ == "__main__":
    main()
