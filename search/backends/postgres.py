"""PostgreSQL full text search, ranked on the index entry's body vector alone.

modelsearch ranks a match as ts_rank(title) × title_norm + ts_rank(body). The `title` vector
holds the title as written, and `simple` doesn't fold it, so folded queries ("tre em") match
it only in words without diacritics; title_norm (average title length / this title's length)
then lifts any short title that shares such a word, and at 10,000 bulletins known-item search
fell to MRR@10 0.80 (docs/benchmarks.md). The body vector already holds what ranks titles
first: the folded title and the title's marked tokens are boosted fields (weight A there,
see BulletinPage.search_fields) and the rest of the text has weight D.

Matching is modelsearch's, on `title || body`; the search app's migration gives that
expression a GIN index (without it every search read every entry's vectors: seconds at
10,000 bulletins).

Imported only when the database is PostgreSQL.
"""

from django.db.models import F
from modelsearch.backends.database.postgres.postgres import (
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)


class BodyRankedSearchQueryCompiler(PostgresSearchQueryCompiler):
    def _build_rank_expression(self, vectors, config):
        if self.fields is None:  # the index entry's vectors, not `.search(fields=…)`'s
            vectors = [(F("index_entries__body"), 1.0)]
        return super()._build_rank_expression(vectors, config)


class BodyRankedPostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = BodyRankedSearchQueryCompiler
