"""SQLite FTS5, ranked by bm25() alone, with the words of each query part kept together.

FTS5's bm25() already ranks the whole MATCH expression, yet modelsearch combines it again for
And queries as (1 + bm25) * (1 + bm25) - 1. bm25() is negative (lower is better), so past -1
that product turns the order upside down.

modelsearch also writes a multi-word PlainText without brackets, so And([folded, exact]) came
out as `"phi" AND "hoc" AND "0phi1" OR "0ho5c"`: FTS5 binds AND first, and any bulletin with
"học" matched "học phí". Each such part is bracketed here.

Imported only when the database is SQLite: the module it extends needs the SQLite-only FTS
model.
"""

from modelsearch.backends.database.sqlite.query import BM25, SearchQueryExpression
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.query import PlainText


class BracketedSearchQueryExpression(SearchQueryExpression):
    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return f"({sql})", params


class BM25SearchQueryCompiler(SQLiteSearchQueryCompiler):
    def build_tsrank(self, vector, query, config=None, boost=1.0):
        return BM25() * boost if boost != 1.0 else BM25()

    def build_search_query_content(self, query, config=None):
        content = super().build_search_query_content(query, config=config)
        if isinstance(query, PlainText) and content is not None:
            return BracketedSearchQueryExpression(content.value)
        return content


class BM25SQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = BM25SearchQueryCompiler
