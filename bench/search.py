"""Search relevance and speed benchmark (issue 4): known-item search over N generated bulletins.

Usage: .venv/bin/python bench/search.py [--sizes 10000 100000] [--sample 200] [--keep DIR]
       [--backends sqlite postgresql elasticsearch9 opensearch3]

For each size, N legacy dumps are written with the deterministic generator (tests.legacy_dumps,
tests.vietnamese_text) and imported with `import_publishingportal --workers 2` into a fresh
SQLite file and a fresh PostgreSQL database (the embedded PostgreSQL 18 of tests/servers.py,
or the server of DATABASE_URL when it names one). The import runs with search indexing paused
(AUTO_UPDATE off), then `update_index` builds each backend's index from scratch and is timed.
The engines are an osmem-server started by the benchmark (one per engine and size; it is
in-memory, so it is indexed again on every run), or SEARCH_URL with SEARCH_BACKEND naming it.
The engines read pages from the PostgreSQL database when it is benchmarked, as in production.
Indexing sends bulk requests of SEARCH_BULK_CHUNK_SIZE documents (100 by default). On a busy
two-core machine osmem-server indexed 10,000 bulletins in 9–13 minutes, and timed out once
under heavier load (see docs/benchmarks.md): use SEARCH_URL for larger archives.

Evaluation, in one warm process per backend under production settings: K bulletins are
sampled (fixed seed, by legacy id, so every backend gets the same ones) and each one's title
is queried three ways: as written, folded to lower-case ASCII (search.vietnamese.fold), and as
three consecutive words of the title. The sampled bulletin is the known item; bulletins with
exactly the same title count as hits too (the generator repeats titles). Each query is
`vietnamese_search()` over the reader search page's queryset, its first 10 results fetched;
that call is timed. A warm-up pass over other bulletins' titles runs first. The table gives
MRR@10, recall@10 and p50/p95 latency per query form and backend. Not part of CI.

The embedded PostgreSQL gets `shared_buffers` of a database host (--shared-buffers, 2GB by
default; its own default of 128MB holds a fraction of a 100,000-bulletin index, which made
each query's first run about twice as slow: docs/benchmarks.md).

--keep DIR keeps the SQLite files, the PostgreSQL data directory and their indexes in DIR and
reuses them on later runs (the dumps are deleted once imported); --reindex runs `migrate` and
update_index again on them (timed together), as a change to the indexing needs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from harness import machine, production_env

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
CATEGORY_SLUG = "luu-tru"
DUMP_SEED = 2024
DATABASES = ("sqlite", "postgresql")
ENGINES = ("elasticsearch9", "opensearch3")
FORMS = ("as written", "no diacritics", "3-word fragment")
TOP = 10


# -- the orchestrator: archives, servers, subprocesses ----------------------------------------


def worker_env(workdir: Path, database_url: str, backend: str, engine_url: str = "") -> dict:
    env = production_env(
        database_url,
        workdir,
        SEARCH_BACKEND="database" if backend in DATABASES else backend,
        SEARCH_INDEX_PREFIX=f"bench_search_{workdir.name}_",
    )
    if engine_url:
        env["SEARCH_URL"] = engine_url
    return env


def run_worker(task: str, env: dict, workdir: Path, **options) -> dict:
    """Run one worker task in a fresh process; its result comes back through a JSON file."""
    handle, name = tempfile.mkstemp(prefix=f"result-{task}-", suffix=".json", dir=workdir)
    os.close(handle)
    result_file = Path(name)
    options["result_file"] = name
    completed = subprocess.run(
        [PYTHON, __file__, "--worker", task, json.dumps(options)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    text = result_file.read_text()
    result_file.unlink()
    if completed.returncode != 0 or not text:
        raise RuntimeError(
            f"worker {task} failed ({completed.returncode}):\n{completed.stdout[-2000:]}\n"
            f"{completed.stderr[-4000:]}"
        )
    return json.loads(text)


class Postgres:
    """Databases on the server of DATABASE_URL, or on an embedded server in `servers_dir`,
    given `shared_buffers` as a database host would be (the embedded default, 128 MB, holds a
    fraction of a 100,000-bulletin search index: docs/benchmarks.md)."""

    def __init__(self, servers_dir: Path, shared_buffers: str = "") -> None:
        self.servers_dir = servers_dir
        self.shared_buffers = shared_buffers
        self._admin_uri: str | None = None
        self._embedded = False

    def admin_uri(self) -> str:
        if self._admin_uri is None:
            given = os.environ.get("DATABASE_URL", "")
            if given.startswith(("postgres://", "postgresql://")):
                self._admin_uri = given
            else:
                # tests.servers keeps its server under TEST_SERVERS_DIR: our own directory, so
                # the benchmark never shares a server with a test run or another benchmark.
                os.environ["TEST_SERVERS_DIR"] = str(self.servers_dir)
                from tests.servers import embedded_postgres_url

                self._admin_uri = embedded_postgres_url()
                self._embedded = True
                if self.shared_buffers and self._set_shared_buffers(self._admin_uri):
                    self._restart_embedded()
        return self._admin_uri

    def _set_shared_buffers(self, uri: str) -> bool:
        """ALTER SYSTEM (kept in the data directory); whether a restart is needed."""
        import psycopg

        with psycopg.connect(uri, autocommit=True) as connection:
            connection.execute(f"ALTER SYSTEM SET shared_buffers = '{self.shared_buffers}'")
            return connection.execute(
                "SELECT pg_size_bytes(current_setting('shared_buffers')) <> pg_size_bytes(%s)",
                [self.shared_buffers],
            ).fetchone()[0]

    def _restart_embedded(self) -> None:
        """pg_ctl restart with the options the server was started with (its socket)."""
        import embedded_postgres
        from embedded_postgres._commands import pg_ctl

        server = embedded_postgres.get_server(self.servers_dir / "postgres")
        log = server.pgdata / "restart.log"
        pg_ctl(
            ["-w", "-m", "fast", "-l", str(log), "restart"],
            pgdata=server.pgdata,
            user=server.system_user,
            timeout=60,
        )

    def url(self, name: str, *, fresh: bool) -> str:
        import psycopg

        admin = self.admin_uri()
        if fresh:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {name}")
                connection.execute(f"CREATE DATABASE {name}")
        # postgresql://postgres:@/postgres?host=/socket/dir: swap the database in the path.
        return urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))

    def close(self) -> None:
        if self._embedded:
            import embedded_postgres

            embedded_postgres.get_server(self.servers_dir / "postgres").cleanup()


def write_dumps(folder: Path, count: int) -> float:
    from tests.legacy_dumps import write_archive

    started = time.perf_counter()
    if folder.exists():
        shutil.rmtree(folder)
    for _ in write_archive(folder, count, seed=DUMP_SEED, missing_author_rate=0.05):
        pass
    return time.perf_counter() - started


def database_url(database: str, workdir: Path, postgres: Postgres, *, fresh: bool) -> str:
    if database == "sqlite":
        path = workdir / "bench.sqlite3"
        if fresh:
            path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    return postgres.url(f"bench_search_{workdir.name}", fresh=fresh)


def ensure_archive(
    workdir: Path,
    size: int,
    database: str,
    postgres: Postgres,
    *,
    reindex: bool = False,
    index_while_importing: bool = False,
) -> dict:
    """Build (or reuse) the archive of `size` bulletins in `database`, indexed by update_index
    or, with `index_while_importing`, by the importer's own batches (as production imports);
    `reindex` runs update_index again on a reused archive (after a change to the indexing)."""
    marker = workdir / f"{database}.json"
    if marker.exists():
        built = json.loads(marker.read_text())
        print(f"== {size}: reusing the {database} archive in {workdir}", flush=True)
        built["url"] = database_url(database, workdir, postgres, fresh=False)
        if reindex:
            started = time.perf_counter()
            env = worker_env(workdir, built["url"], database)
            run_worker("index", env, workdir, migrate=True)
            built["index_seconds"] = time.perf_counter() - started
            print(f"== {size}: {database}: update_index {built['index_seconds']:.0f} s", flush=True)
        return built
    url = database_url(database, workdir, postgres, fresh=True)
    env = worker_env(workdir, url, database)
    started = time.perf_counter()
    built = run_worker(
        "build",
        env,
        workdir,
        dumps=str(workdir / "dumps"),
        workers=2,
        index=index_while_importing,
    )
    built["build_seconds"] = time.perf_counter() - started
    built["index_seconds"] = None
    if not index_while_importing:
        started = time.perf_counter()
        run_worker("index", env, workdir)
        built["index_seconds"] = time.perf_counter() - started
    indexing = (
        "indexed while importing"
        if index_while_importing
        else f"update_index {built['index_seconds']:.0f} s"
    )
    print(
        f"== {size}: {database}: {built['bulletins']} bulletins imported in "
        f"{built['build_seconds']:.0f} s (migrate, import), {indexing}   [{built['summary']}]",
        flush=True,
    )
    if built["bulletins"] != size:
        raise RuntimeError(f"expected {size} bulletins, the import made {built['bulletins']}")
    marker.write_text(json.dumps({key: value for key, value in built.items() if key != "url"}))
    built["url"] = url
    return built


def start_engine(name: str):
    """SEARCH_URL's engine when it is this one, else a new osmem-server; (url, server, osmem)."""
    if os.environ.get("SEARCH_URL"):
        if os.environ.get("SEARCH_BACKEND") != name:
            return None, None, False
        return os.environ["SEARCH_URL"], None, False
    from tests.servers import start_search_engine

    server = start_search_engine()
    return server.url, server, True


def run(size: int, args: argparse.Namespace, workroot: Path, postgres: Postgres) -> list[dict]:
    workdir = workroot / str(size)
    workdir.mkdir(parents=True, exist_ok=True)
    databases = [name for name in DATABASES if name in args.backends]
    engines = [name for name in ENGINES if name in args.backends]
    if engines and not databases:
        databases = ["sqlite"]
    dumps = workdir / "dumps"
    if (
        not all((workdir / f"{name}.json").exists() for name in databases)
        and not (dumps / "complete").exists()
    ):
        seconds = write_dumps(dumps, size)
        (dumps / "complete").touch()
        print(f"== {size}: dumps written in {seconds:.0f} s", flush=True)
    # Both databases can be built at once: the import's writer is one process, so on two cores
    # two imports overlap well. Build times are then not comparable with bench/import.py.
    with ThreadPoolExecutor(len(databases) if args.parallel_builds else 1) as pool:
        built = pool.map(
            lambda name: ensure_archive(
                workdir,
                size,
                name,
                postgres,
                reindex=args.reindex,
                index_while_importing=args.index_while_importing,
            ),
            databases,
        )
        archives = dict(zip(databases, built, strict=True))
    shutil.rmtree(workdir / "dumps", ignore_errors=True)
    evaluation = {"sample": args.sample, "seed": args.seed, "warmup": args.warmup}

    rows = []
    for database in databases:
        if database not in args.backends:
            continue
        env = worker_env(workdir, archives[database]["url"], database)
        result = run_worker("evaluate", env, workdir, **evaluation)
        index_seconds = archives[database]["index_seconds"]
        rows.append({"size": size, "backend": database, "index_seconds": index_seconds, **result})
        report(rows[-1])
    # The engines hold pages' text; the pages themselves come from the database, PostgreSQL
    # when it is measured (as in production).
    engine_database = "postgresql" if "postgresql" in archives else "sqlite"
    for engine in engines:
        url, server, osmem = start_engine(engine)
        if url is None:
            print(f"== {size}: {engine} skipped: SEARCH_URL is a {os.environ['SEARCH_BACKEND']}")
            continue
        try:
            env = worker_env(workdir, archives[engine_database]["url"], engine, url)
            started = time.perf_counter()
            run_worker("index", env, workdir, plain_json=osmem)
            index_seconds = time.perf_counter() - started
            print(f"== {size}: {engine}: update_index {index_seconds:.0f} s", flush=True)
            result = run_worker("evaluate", env, workdir, plain_json=osmem, **evaluation)
        finally:
            if server is not None:
                server.close()
        label = f"{engine} ({'osmem' if osmem else url}, pages from {engine_database})"
        rows.append({"size": size, "backend": label, "index_seconds": index_seconds, **result})
        report(rows[-1])
    return rows


def report(row: dict) -> None:
    for form in FORMS:
        m = row["forms"][form]
        print(
            f"{row['size']:>7} {row['backend']:<14} {form:<16} MRR@10 {m['mrr']:.3f}  "
            f"recall@10 {m['recall']:.3f}  p50 {m['p50_ms']:6.1f} ms  p95 {m['p95_ms']:6.1f} ms",
            flush=True,
        )


def print_tables(rows: list[dict]) -> None:
    print(
        "\n| bulletins | backend | query form | MRR@10 | recall@10 | p50 ms | p95 ms |"
        "\n|---|---|---|---|---|---|---|"
    )
    for row in rows:
        for form in (*FORMS, "all forms"):
            m = row["forms"].get(form, row["all"])
            quality = f"{m['mrr']:.3f} | {m['recall']:.3f}" if "mrr" in m else "– | –"
            print(
                f"| {row['size']} | {row['backend']} | {form} | {quality} | {m['p50_ms']:.1f} "
                f"| {m['p95_ms']:.1f} |"
            )
    print(
        "\n| bulletins | backend | update_index s | sampled | sampled titles shared "
        "| query errors |\n|---|---|---|---|---|---|"
    )
    for row in rows:
        index = f"{row['index_seconds']:.0f}" if row["index_seconds"] is not None else "–"
        print(
            f"| {row['size']} | {row['backend']} | {index} | {row['sampled']} "
            f"| {row['shared_titles']} | {row['errors']} |"
        )
    for row in rows:
        for form, query, count in row["misses"][:5]:
            print(f"missed ({row['size']}, {row['backend']}, {form}): {query!r}, {count} results")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--sample", type=int, default=200, help="bulletins evaluated (K)")
    parser.add_argument("--seed", type=int, default=4, help="seed of the sample and fragments")
    parser.add_argument("--warmup", type=int, default=20, help="bulletins queried to warm up")
    parser.add_argument(
        "--backends",
        nargs="+",
        choices=[*DATABASES, *ENGINES],
        default=[*DATABASES, *ENGINES],
        help="sqlite and postgresql are the database backend on that database",
    )
    parser.add_argument(
        "--parallel-builds", action="store_true", help="import into both databases at once"
    )
    parser.add_argument(
        "--keep", type=Path, help="keep the archives in this folder and reuse them on later runs"
    )
    parser.add_argument(
        "--reindex", action="store_true", help="run update_index again on reused archives"
    )
    parser.add_argument(
        "--shared-buffers",
        default="2GB",
        help="shared_buffers of the embedded PostgreSQL (ignored with DATABASE_URL); '' leaves "
        "it as the data directory has it (PostgreSQL's default: 128MB)",
    )
    parser.add_argument(
        "--index-while-importing",
        action="store_true",
        help="new archives: the importer indexes each batch, as in production, and "
        "update_index is not run (on PostgreSQL about twice as fast to build)",
    )
    args = parser.parse_args()

    print(f"machine: {machine()}", flush=True)
    workroot = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="bench-search-"))
    postgres = Postgres(workroot / "servers", args.shared_buffers)
    rows: list[dict] = []
    try:
        for size in args.sizes:
            rows.extend(run(size, args, workroot, postgres))
    finally:
        postgres.close()
        if not args.keep:
            shutil.rmtree(workroot, ignore_errors=True)
        if rows:
            print_tables(rows)


# -- the workers: one Django process each, production settings ---------------------------------


def setup_django(plain_json: bool = False) -> None:
    import django
    from django.conf import settings

    django.setup()
    config = settings.WAGTAILSEARCH_BACKENDS["default"]
    if "TIMEOUT" in config:
        # A bulk request (SEARCH_BULK_CHUNK_SIZE bulletins) outlasts production's 10 s on the
        # in-memory test engine once its index is large; searches are not affected.
        config["TIMEOUT"] = 120
    if plain_json:
        # The Elasticsearch 9 client's compatibility media type is refused by osmem-server; the
        # tests send plain JSON to it the same way (tests.servers). Real Elasticsearch needs
        # nothing, and OpenSearch's client ignores the option's absence.
        from tests.servers import plain_json_node_class

        if config["BACKEND"].endswith("elasticsearch9"):
            config["OPTIONS"] = {"node_class": plain_json_node_class()}


def worker_build(options: dict) -> dict:
    """Migrate, add a home page and a category, import the dumps with indexing paused."""
    import io

    from django.conf import settings
    from django.core.management import call_command
    from wagtail.models import Page, Site

    from bulletins.models import BulletinIndexPage, BulletinPage
    from home.models import HomePage

    call_command("migrate", interactive=False, verbosity=0)
    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Trang chủ", slug="trang-chu")
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "127.0.0.1", "port": 80, "root_page": home}
    )
    home.add_child(instance=BulletinIndexPage(title="Lưu trữ", slug=CATEGORY_SLUG))
    # Unless asked to index while importing, update_index builds the index afterwards and is
    # timed on its own; indexing during the import as well would do the work twice.
    settings.WAGTAILSEARCH_BACKENDS["default"]["AUTO_UPDATE"] = bool(options.get("index"))
    out = io.StringIO()
    call_command(
        "import_publishingportal",
        options["dumps"],
        into=CATEGORY_SLUG,
        workers=options["workers"],
        verbosity=0,
        stdout=out,
    )
    summary = out.getvalue().strip().splitlines()
    return {"bulletins": BulletinPage.objects.count(), "summary": summary[-1] if summary else ""}


def worker_index(options: dict) -> dict:
    from django.core.management import call_command

    if options.get("migrate"):  # a reused archive: the code may have new migrations
        call_command("migrate", interactive=False, verbosity=0)
    call_command("update_index", verbosity=0)
    return {}


def title_fragment(title: str, rng: random.Random, length: int = 3) -> str:
    """`length` consecutive words of the title, without the punctuation around them."""
    words = [word.strip(".,:;!?\"'()…“”") for word in title.split()]
    words = [word for word in words if word]
    start = rng.randrange(max(len(words) - length + 1, 1))
    return " ".join(words[start : start + length])


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def worker_evaluate(options: dict) -> dict:
    from collections import defaultdict

    from django.test import RequestFactory

    from bulletins.models import BulletinPage
    from search.searching import vietnamese_search
    from search.vietnamese import fold
    from search.views import _site_bulletins

    # Exactly what the reader search page searches: live bulletins of the request's site.
    queryset = _site_bulletins(RequestFactory().get("/tim-kiem/", HTTP_HOST="127.0.0.1"))
    rows = list(
        BulletinPage.objects.live().order_by("legacy_id").values_list("pk", "legacy_id", "title")
    )
    same_title: dict[str, set[int]] = defaultdict(set)
    for pk, _, title in rows:
        same_title[title].add(pk)
    picked = random.Random(options["seed"]).sample(
        range(len(rows)), min(len(rows), options["sample"] + options["warmup"])
    )

    def queries(indexes: list[int]) -> list[tuple[str, str, set[int]]]:
        made = []
        for index in indexes:
            _, legacy_id, title = rows[index]
            fragment = title_fragment(title, random.Random(f"{options['seed']}:{legacy_id}"))
            for form, query in zip(FORMS, (title, fold(title), fragment), strict=True):
                made.append((form, query, same_title[title]))
        return made

    def search(query: str) -> list[int]:
        return [page.pk for page in vietnamese_search(queryset, query)[:TOP]]

    for _, query, _ in queries(picked[options["sample"] :]):
        search(query)

    measured = queries(picked[: options["sample"]])
    ranks: dict[str, list[int | None]] = defaultdict(list)
    seconds: dict[str, list[float]] = defaultdict(list)
    errors = 0
    misses = []
    for form, query, targets in measured:
        started = time.perf_counter()
        try:
            found = search(query)
        except Exception as error:  # a failing query is a miss, and counted
            errors += 1
            found = []
            print(f"error on {query!r}: {error!r}", file=sys.stderr)
        seconds[form].append(time.perf_counter() - started)
        rank = next((place for place, pk in enumerate(found, 1) if pk in targets), None)
        ranks[form].append(rank)
        if rank is None and form != "3-word fragment" and len(misses) < 20:
            misses.append([form, query, len(found)])

    def latency(values: list[float]) -> dict:
        return {
            "p50_ms": statistics.median(values) * 1000,
            "p95_ms": percentile(values, 0.95) * 1000,
        }

    forms = {
        form: {
            "mrr": sum(1 / rank for rank in ranks[form] if rank) / len(ranks[form]),
            "recall": sum(1 for rank in ranks[form] if rank) / len(ranks[form]),
            **latency(seconds[form]),
        }
        for form in FORMS
    }
    sampled = [rows[index][2] for index in picked[: options["sample"]]]
    return {
        "forms": forms,
        "all": latency([value for values in seconds.values() for value in values]),
        "sampled": len(sampled),
        "shared_titles": sum(1 for title in sampled if len(same_title[title]) > 1),
        "errors": errors,
        "misses": misses,
    }


WORKERS = {"build": worker_build, "index": worker_index, "evaluate": worker_evaluate}


def worker_main(task: str, options: dict) -> None:
    setup_django(options.get("plain_json", False))
    result = WORKERS[task](options)
    Path(options["result_file"]).write_text(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        worker_main(sys.argv[2], json.loads(sys.argv[3]))
    else:
        main()
