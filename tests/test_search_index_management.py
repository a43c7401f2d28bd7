"""`update_index` on the engines: a new index under the prefixed alias, swapped atomically."""

import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from modelsearch.index import get_indexed_models
from modelsearch.management.commands.rebuild_modelsearch_index import group_models_by_index
from wagtail.search.backends import get_search_backend

from bulletins.models import BulletinPage
from search.searching import vietnamese_search
from tests.factories import BulletinPageFactory
from tests.search_backends import drop_indexes, engine_config, engine_params

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def found(query: str) -> set[str]:
    return {page.title for page in vietnamese_search(BulletinPage.objects.live(), query)}


@pytest.mark.parametrize("name", engine_params())
def test_update_index_swaps_the_prefixed_alias(category, search_engine, name):
    prefix = f"test_{uuid.uuid4().hex[:8]}_tinh_"
    config = {**engine_config(name, search_engine), "INDEX_PREFIX": prefix}
    config["ATOMIC_REBUILD"] = True
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": config}):
        backend = get_search_backend()
        alias = f"{prefix}wagtailcore_page"
        try:
            first = BulletinPageFactory(parent=category, title="Bắc Kạn đón bằng công nhận")
            call_command("update_index", stdout=io.StringIO())
            assert backend.es.indices.exists_alias(name=alias)
            [old] = backend.es.indices.get_alias(name=alias).keys()
            assert old.startswith(f"{alias}_")
            assert found("bac kan") == {first.title}

            # Not indexed as it is saved (AUTO_UPDATE is off here): only a rebuild adds it.
            second = BulletinPageFactory(parent=category, title="Bắc Kạn khai mạc hội chợ")
            assert found("bac kan") == {first.title}
            call_command("update_index", stdout=io.StringIO())
            [new] = backend.es.indices.get_alias(name=alias).keys()
            assert new != old and new.startswith(f"{alias}_")
            assert not backend.es.indices.exists(index=old)  # the old index is gone
            assert found("bac kan") == {first.title, second.title}

            # Every index this install writes carries the prefix.
            names = [index.name for index in group_models_by_index(backend, get_indexed_models())]
            assert names and all(name.startswith(prefix) for name in names)
        finally:
            drop_indexes(backend)


def test_engine_settings_rebuild_atomically_under_the_configured_prefix():
    script = (
        "from django.conf import settings; b = settings.WAGTAILSEARCH_BACKENDS['default'];"
        "print(b['INDEX_PREFIX'], b['ATOMIC_REBUILD'])"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "SEARCH_BACKEND": "elasticsearch9",
            "SEARCH_INDEX_PREFIX": "bac_kan_",
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["bac_kan_", "True"], result.stderr


def _bulk_sizes(name: str, monkeypatch) -> list[int]:
    """Documents in each bulk request the engine's client sends from now on."""
    if name == "elasticsearch9":
        from elasticsearch import Elasticsearch as client_class
    else:
        from opensearchpy import OpenSearch as client_class
    sizes: list[int] = []
    send = client_class.bulk

    def counting_bulk(self, *args, **kwargs):
        if "operations" in kwargs:  # Elasticsearch: action and document lines, as a list
            lines = list(kwargs["operations"])
        else:  # OpenSearch: the same lines as one newline-separated body
            lines = [line for line in kwargs["body"].splitlines() if line.strip()]
        sizes.append(len(lines) // 2)
        return send(self, *args, **kwargs)

    monkeypatch.setattr(client_class, "bulk", counting_bulk)
    return sizes


@pytest.mark.parametrize("name", engine_params())
def test_update_index_sends_bulk_requests_of_the_configured_size(
    category, search_engine, name, monkeypatch
):
    """update_index into the test engine timed out on one bulk request at 10,000 bulletins
    (docs/benchmarks.md): BULK_CHUNK_SIZE (SEARCH_BULK_CHUNK_SIZE) bounds each request."""
    config = {**engine_config(name, search_engine), "BULK_CHUNK_SIZE": 2}
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": config}):
        backend = get_search_backend()
        try:
            titles = {f"Bắc Kạn đón đoàn công tác số {number}" for number in range(5)}
            for title in titles:
                BulletinPageFactory(parent=category, title=title)
            sizes = _bulk_sizes(name, monkeypatch)
            call_command("update_index", stdout=io.StringIO())
            assert sizes and max(sizes) <= 2
            assert sum(sizes) >= len(titles)
            assert found("bac kan doan cong tac") == titles
        finally:
            drop_indexes(backend)


def test_bulk_chunk_size_comes_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "SEARCH_BACKEND": "opensearch3",
        "SEARCH_BULK_CHUNK_SIZE": "25",
        "SEARCH_TIMEOUT": "60",
    }
    script = (
        "import django; django.setup()\n"
        "from wagtail.search.backends import get_search_backend\n"
        "backend = get_search_backend()\n"
        "print(backend.bulk_chunk_size, backend.timeout)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["25", "60"]
