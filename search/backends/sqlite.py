"""SQLite FTS5, ranked by bm25() alone, with the words of each query part kept together.

FTS5's bm25() already ranks the whole MATCH expression, yet modelsearch combines it again for
And queries as (1 + bm25) * (1 + bm25) - 1. bm25() is negative (lower is better), so past -1
that product turns the order upside down.

modelsearch also writes a multi-word PlainText without brackets, so And([folded, exact]) came
out as `"phi" AND "hoc" AND "0phi1" OR "0ho5c"`: FTS5 binds AND first, and any bulletin with
"học" matched "học phí". Each such part is bracketed here.

And searches were slow: seconds at a thousand bulletins. modelsearch filters the FTS matches
by content type, and SQLite's planner then walks the content-type index and runs the MATCH
once per index entry (4.7 s for one query here; 15 ms with the FTS table first). It also
orders by relevance through a correlated subquery, one more FTS query per match. Here the
content-type filter is written so that no index serves it (the FTS table is read first), and
the ranked matches are read once and the page put together in Python
(RankedSQLiteSearchResults).

Titles: modelsearch writes only fields named "title" into the FTS `title` column and ranks all
columns alike; the folded title ("tre em", which every query searches) went into `body` with
the whole text, so a long body that mentions the words outranked the bulletin with that title
(MRR@10 0.696 at 1,000 bulletins, docs/benchmarks.md). Here the title column also holds the
boosted fields (the folded title and the title's marked tokens), and bm25() weighs it
TITLE_WEIGHT times the body. At 10,000 bulletins that was not enough (MRR@10 0.904 as written,
0.752 without diacritics): a long title's words each recur in many other bulletins' bodies,
and bodies repeating most of them outranked it. Results now come in two tiers, as on
PostgreSQL: the entries whose title column alone matches the whole query (a second FTS query,
with FTS5's column filter `{title} : (…)`), then the other matches, each tier ranked by bm25.

Imported only when the database is SQLite: the module it extends needs the SQLite-only FTS
model.
"""

from django.db.models import F, FloatField, Func
from django.utils.functional import cached_property
from modelsearch.backends.database.sqlite.query import (
    MatchExpression,
    SearchQueryExpression,
    SQLiteFTSIndexEntry,
    normalize,
)
from modelsearch.backends.database.sqlite.sqlite import (
    IndexEntry,
    ObjectIndexer,
    SQLiteAutocompleteQueryCompiler,
    SQLiteIndex,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
    SQLiteSearchResults,
)
from modelsearch.index import SearchField
from modelsearch.query import MatchAll, Not, PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from .database import is_title_field

# bm25() weight of the FTS `title` column against `body` (1); the autocomplete column is never
# matched by a search. Measured with bench/search.py at 1,000 bulletins (docs/benchmarks.md).
TITLE_WEIGHT = 10


# Indexing ---------------------------------------------------------------------------------


class TitleColumnIndexer(ObjectIndexer):
    """modelsearch's indexer, with the boosted fields (for bulletins: the folded title and its
    marked tokens) in the `title` column, reading the fields once instead of once per column."""

    @cached_property
    def _columns(self) -> dict[str, list[str]]:
        columns: dict[str, list[str]] = {"title": [], "body": [], "autocomplete": []}
        for search_field in self.search_fields:
            for field, value in self.prepare_field(self.obj, search_field):
                if is_title_field(field):
                    columns["title"].append(value)
                elif isinstance(field, SearchField):
                    columns["body"].append(value)
                else:
                    columns["autocomplete"].append(value)
        return columns

    @cached_property
    def title(self) -> str:
        return " ".join(text for text in self._columns["title"] if text)

    @cached_property
    def body(self) -> str:
        return " ".join(self._columns["body"])

    @cached_property
    def autocomplete(self) -> str:
        return " ".join(self._columns["autocomplete"])


class TitleColumnSQLiteIndex(SQLiteIndex):
    def _refresh_title_norms(self, full=False):
        # Ranking here doesn't read title_norm (WeightedBM25), and every refresh rewrote the
        # entries' FTS rows through modelsearch's update trigger: all of them after a rebuild.
        pass

    def add_items(self, model, objs):
        """As modelsearch's, with TitleColumnIndexer: update the entries that exist, create the
        others."""
        if not model.get_search_fields():
            return
        columns = {
            indexer.id: {
                "title": indexer.title,
                "body": indexer.body,
                "autocomplete": indexer.autocomplete,
            }
            for indexer in (TitleColumnIndexer(obj, self.backend) for obj in objs)
        }
        if not columns:
            return
        content_type_pk = get_content_type_pk(model)
        entries = self.entries.filter(content_type_id=content_type_pk)
        indexed = set(entries.filter(object_id__in=columns).values_list("object_id", flat=True))
        for object_id in indexed:
            entries.filter(object_id=object_id).update(**columns[object_id])
        self.entries.bulk_create(
            IndexEntry(content_type_id=content_type_pk, object_id=object_id, **values)
            for object_id, values in columns.items()
            if object_id not in indexed
        )
        self._refresh_title_norms()


# Searching --------------------------------------------------------------------------------


class WeightedBM25(Func):
    """bm25() with the title column weighted; FTS columns: autocomplete, body, title."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        return f"bm25({SQLiteFTSIndexEntry._meta.db_table}, 0, 1, {TITLE_WEIGHT})", []


class BracketedSearchQueryExpression(SearchQueryExpression):
    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return f"({sql})", params


class RankedMatchesMixin:
    def matching_entries(self, config, columns: list[str]):
        """The FTS rows of this model's index entries that match the query in `columns`; None
        for what is not a ranked search (match-all, negation). Built as modelsearch's
        `search()` builds its index query, except for the content-type filter (see the module
        doc)."""
        query = normalize(self.query)
        if isinstance(query, (MatchAll, Not)):
            return None
        match = MatchExpression(columns, self.build_search_query(query, config=config))
        content_types = get_descendants_content_types_pks(self.queryset.model)
        return (
            SQLiteFTSIndexEntry.objects.filter(match)
            # "+ 0": an expression, not the column, so the planner can't start from its index.
            .alias(entry_content_type=F("index_entry__content_type_id") + 0)
            .filter(entry_content_type__in=content_types)
        )

    def ranked_matches(self, config):
        """The matching index entries as (object id, bm25 score), from one FTS query; None for
        what is not a ranked search (match-all, negation)."""
        entries = self.matching_entries(config, self.fields or self.FTS_TABLE_FIELDS)
        if entries is None:
            return None
        rank = self._build_rank_expression(self.get_search_vectors(), config)
        return entries.annotate(score=rank).values_list("index_entry__object_id", "score")

    def title_matches(self, config) -> set[str] | None:
        """The object ids whose title column alone matches the whole query (see
        RankedSQLiteSearchResults); None when results aren't split in tiers."""
        return None


class BM25SearchQueryCompiler(RankedMatchesMixin, SQLiteSearchQueryCompiler):
    def title_matches(self, config) -> set[str] | None:
        # Only a search of every column is split: one restricted to some fields has no title
        # tier to speak of.
        if self.fields is not None:
            return None
        entries = self.matching_entries(config, ["title"])
        if entries is None:
            return None
        return set(entries.values_list("index_entry__object_id", flat=True))

    def _build_rank_expression(self, vectors, config):
        # One bm25() over the whole MATCH: modelsearch adds it up once per column, scaled by
        # a per-document title-length factor, and combines And parts again (see module doc).
        return WeightedBM25()

    def build_search_query_content(self, query, config=None):
        content = super().build_search_query_content(query, config=config)
        if isinstance(query, PlainText) and content is not None:
            return BracketedSearchQueryExpression(content.value)
        return content


class RankedAutocompleteQueryCompiler(RankedMatchesMixin, SQLiteAutocompleteQueryCompiler):
    pass


class RankedSQLiteSearchResults(SQLiteSearchResults):
    """Results in four queries (ranked matches, title matches, which of them the queryset
    allows, the page of objects) instead of one FTS query per match."""

    def _matches(self):
        compiler = self.query_compiler
        ranked = compiler.ranked_matches(compiler.get_config(self.backend))
        if ranked is None:
            return None, None
        return ranked, compiler.queryset.filter(pk__in=ranked.values("index_entry__object_id"))

    def _do_count(self):
        ranked, matching = self._matches()
        if ranked is None:
            return super()._do_count()
        # Within the slice, as modelsearch counts: a search capped at its first 1,000 results
        # has 1,000 to page through, however many match.
        return matching[self.start : self.stop].count()

    def _do_search(self):
        ranked, matching = self._matches()
        if ranked is None:
            return super()._do_search()
        if not self.query_compiler.order_by_relevance:
            if not matching.query.order_by:
                matching = matching.order_by("-pk")  # stable pages, as modelsearch does
            return list(matching[self.start : self.stop])
        scores: dict[str, float] = {}
        for object_id, score in ranked:
            scores[object_id] = min(score, scores.get(object_id, score))  # bm25: lower is better
        # Two tiers: objects whose title column alone matches the whole query, then the
        # others, each ranked by bm25 (see the module doc). Only `matching` is ordered, so a
        # title match that the whole entry doesn't match (a negated word in the body) is out.
        compiler = self.query_compiler
        titled = compiler.title_matches(compiler.get_config(self.backend)) or set()
        ordered = sorted(
            matching.values_list("pk", flat=True),
            key=lambda pk: (str(pk) not in titled, scores[str(pk)], -pk),
        )[self.start : self.stop]
        objects = matching.in_bulk(ordered)
        results = [objects[pk] for pk in ordered if pk in objects]
        if self._score_field:
            for obj in results:
                setattr(obj, self._score_field, scores[str(obj.pk)])
        return results


class BM25SQLiteSearchBackend(SQLiteSearchBackend):
    index_class = TitleColumnSQLiteIndex
    query_compiler_class = BM25SearchQueryCompiler
    autocomplete_query_compiler_class = RankedAutocompleteQueryCompiler
    results_class = RankedSQLiteSearchResults
