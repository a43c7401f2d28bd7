"""The embedded default: modelsearch's database backend for SQLite FTS5 or PostgreSQL.

Vietnamese matching needs nothing here: documents carry folded shadow fields and queries are
folded in search.query, the same on both databases. Two things do:

- PostgreSQL's default text search configuration is usually `english`, whose stop words and
  stemmer mangle folded Vietnamese ("do", "me", "no", "to", "an" are syllables, not stop
  words). `simple` only lower-cases, which is all folded text needs, and needs no extension or
  migration (an `unaccent` configuration would fold the original text as well, and lose the
  exact spelling that ranks typed diacritics first). SEARCH_CONFIG still overrides it.
- Relevance comes from the title fields (is_title_field): on SQLite they fill the FTS
  `title` column, weighted in bm25() (search.backends.sqlite); on PostgreSQL they fill the
  small `title` vector, the only one ranked (search.backends.postgres).
"""

from typing import Any

from django.db import connection
from modelsearch.backends import database as modelsearch_database
from modelsearch.index import SearchField


def is_title_field(field) -> bool:
    """Fields indexed with the title: the title, and fields boosted above the body (for
    bulletins, the folded title and its marked tokens)."""
    return isinstance(field, SearchField) and (
        field.field_name == "title" or (field.boost or 1) > 1
    )


def SearchBackend(params: dict[str, Any]):  # noqa: N802 - the name modelsearch looks up
    """The backend for the default database's vendor, as modelsearch picks it."""
    params = {"SEARCH_CONFIG": "simple", **params}
    # Called first: it also finds out whether SQLite has FTS5 (USE_SQLITE_FTS starts as None).
    backend = modelsearch_database.SearchBackend(params)
    if connection.vendor == "sqlite" and modelsearch_database.USE_SQLITE_FTS:
        from .sqlite import BM25SQLiteSearchBackend

        return BM25SQLiteSearchBackend(params)
    if connection.vendor == "postgresql":
        from .postgres import TitleRankedPostgresSearchBackend

        return TitleRankedPostgresSearchBackend(params)
    return backend
