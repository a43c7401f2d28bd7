"""The embedded default: modelsearch's database backend for SQLite FTS5 or PostgreSQL.

Vietnamese matching needs nothing here: documents carry folded shadow fields and queries are
folded in search.query, the same on both databases. Two things do:

- PostgreSQL's default text search configuration is usually `english`, whose stop words and
  stemmer mangle folded Vietnamese ("do", "me", "no", "to", "an" are syllables, not stop
  words). `simple` only lower-cases, which is all folded text needs, and needs no extension or
  migration (an `unaccent` configuration would fold the original text as well, and lose the
  exact spelling that ranks typed diacritics first). SEARCH_CONFIG still overrides it.
- On SQLite, relevance comes from FTS5's bm25() alone, titles weighted
  (search.backends.sqlite); on PostgreSQL from the body vector, where the title's shadow
  fields are boosted (search.backends.postgres).
"""

from typing import Any

from django.db import connection
from modelsearch.backends import database as modelsearch_database


def SearchBackend(params: dict[str, Any]):  # noqa: N802 - the name modelsearch looks up
    """The backend for the default database's vendor, as modelsearch picks it."""
    params = {"SEARCH_CONFIG": "simple", **params}
    # Called first: it also finds out whether SQLite has FTS5 (USE_SQLITE_FTS starts as None).
    backend = modelsearch_database.SearchBackend(params)
    if connection.vendor == "sqlite" and modelsearch_database.USE_SQLITE_FTS:
        from .sqlite import BM25SQLiteSearchBackend

        return BM25SQLiteSearchBackend(params)
    if connection.vendor == "postgresql":
        from .postgres import BodyRankedPostgresSearchBackend

        return BodyRankedPostgresSearchBackend(params)
    return backend
