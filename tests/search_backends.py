"""The search backends every search test runs on, and how to fill their indexes.

`database` is the database of this run (PostgreSQL, or SQLite with TEST_DATABASE=sqlite);
`elasticsearch9` and `opensearch3` go to a search engine: SEARCH_URL when it is set (with
SEARCH_BACKEND naming which of the two it is), otherwise an osmem-server started once per test
session. Each engine test gets indexes of its own under a fresh INDEX_PREFIX.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import override_settings
from wagtail.search.backends import get_search_backend

from bulletins.models import BulletinPage

ENGINES = ("elasticsearch9", "opensearch3")


def engine_params() -> list:
    """The engines, marked so that the SQLite pass can leave them out."""
    engines = ENGINES
    if os.environ.get("SEARCH_URL") and os.environ.get("SEARCH_BACKEND") in ENGINES:
        engines = (os.environ["SEARCH_BACKEND"],)
    return [pytest.param(name, marks=pytest.mark.search_engine) for name in engines]


def backend_params() -> list:
    return ["database", *engine_params()]


@dataclass(frozen=True)
class SearchEngine:
    url: str
    is_osmem: bool


@dataclass
class SearchBackendUnderTest:
    name: str

    @property
    def is_engine(self) -> bool:
        return self.name in ENGINES

    def index(self) -> None:
        """Index every bulletin, as `update_index` would."""
        backend = get_search_backend()
        pages = list(BulletinPage.get_indexed_objects())
        if self.is_engine:
            index = backend.get_index_for_model(BulletinPage)
            index.reset()
            index.add_model(BulletinPage)
            backend.add_bulk(BulletinPage, pages)
            index.refresh()
        else:
            backend.add_bulk(BulletinPage, pages)


def engine_config(name: str, engine: SearchEngine) -> dict:
    config = {
        "BACKEND": settings.VIETNAMESE_SEARCH_BACKENDS[name],
        "URLS": [engine.url],
        "INDEX_PREFIX": f"test_{uuid.uuid4().hex[:12]}_",
        "TIMEOUT": 10,
        "ATOMIC_REBUILD": False,
        # Tests index explicitly (SearchBackendUnderTest.index), after the index exists.
        "AUTO_UPDATE": False,
    }
    if name == "elasticsearch9" and engine.is_osmem:
        from tests.servers import plain_json_node_class

        config["OPTIONS"] = {"node_class": plain_json_node_class()}
    return config


@contextmanager
def search_backend_under_test(name: str, engine: SearchEngine | None) -> Iterator:
    if engine is None:
        yield SearchBackendUnderTest(name)
        return
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": engine_config(name, engine)}):
        try:
            yield SearchBackendUnderTest(name)
        finally:
            get_search_backend().get_index_for_model(BulletinPage).delete()


def drop_indexes(backend) -> None:
    """Delete every index of `backend`'s prefix, following aliases to their indexes.

    After an atomic rebuild the model's index name is an alias, which Elasticsearch refuses to
    delete as such.
    """
    from modelsearch.index import get_indexed_models
    from modelsearch.management.commands.rebuild_modelsearch_index import group_models_by_index

    for index in group_models_by_index(backend, get_indexed_models()):
        if index.is_alias():
            for concrete in index.aliased_indices():
                concrete.delete()
        else:
            index.delete()


def closed_port_url() -> str:
    """An address where nothing listens: connecting is refused at once, as with a stopped engine."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
