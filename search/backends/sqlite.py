"""SQLite FTS5, ranked by bm25() alone.

FTS5's bm25() already ranks the whole MATCH expression, yet modelsearch combines it again for
And queries as (1 + bm25) * (1 + bm25) - 1. bm25() is negative (lower is better), so past -1
that product turns the order upside down. Imported only when the database is SQLite: the
module it extends needs the SQLite-only FTS model.
"""

from modelsearch.backends.database.sqlite.query import BM25
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)


class BM25SearchQueryCompiler(SQLiteSearchQueryCompiler):
    def build_tsrank(self, vector, query, config=None, boost=1.0):
        return BM25() * boost if boost != 1.0 else BM25()


class BM25SQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = BM25SearchQueryCompiler
