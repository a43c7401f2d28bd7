"""PostgreSQL full text search: match the whole entry, rank on its small title vector.

Ranking. modelsearch ranks a match as ts_rank(title) × title_norm + ts_rank(body). At 10,000
bulletins that order was poor (MRR@10 0.80 for titles, docs/benchmarks.md): the `title` vector
held the title as written, which `simple` doesn't fold, so folded queries ("tre em") met it
only in words without diacritics. Ranking on the body vector fixed relevance, but a query
made of common words ("tại huyện Nam") matches nearly every bulletin and ts_rank then read
each match's whole body vector, three times for a query with diacritics: seconds per query.
Here the `title` vector holds the title fields (search.backends.database.is_title_field: the
title and the fields boosted above the body, for bulletins the folded title and its marked
tokens), a few hundred bytes, and only it ranks. Bulletins that match in their text alone
rank 0 and come newest first (modelsearch's tie-break on the primary key).

Matching is modelsearch's, on `title || body` (the body still holds every searchable field);
the search app's migration gives that expression a GIN index. PostgreSQL's planner doesn't
count the cost of reading large vectors, so for a query that matches most entries it chose a
sequential scan that read (and concatenated) every entry's body: the search runs with
sequential scans off, and the GIN index answers (exactly, without reading a vector, unless
the query is a phrase). The vectors are no longer selected with each result either (modelsearch
annotated every match with its `title || body`, read and built for all of them before the
sort).

title_norm is not read, so it isn't maintained: modelsearch rewrote the new entries after
every batch and every entry after a rebuild.

Imported only when the database is PostgreSQL.
"""

from contextlib import contextmanager
from typing import NamedTuple

from django.contrib.postgres.search import SearchRank, SearchVector
from django.db import connections, transaction
from django.db.models import (
    CharField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.sql.subqueries import InsertQuery
from django.utils.functional import cached_property
from modelsearch.backends.database.postgres.postgres import (
    EMPTY_VECTOR,
    IndexEntry,
    ObjectIndexer,
    PostgresIndex,
    PostgresSearchAtomicRebuilder,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchRebuilder,
    PostgresSearchResults,
)
from modelsearch.query import And, Fuzzy, MatchAll, Not, Or, Phrase, PlainText
from modelsearch.utils import ADD, get_content_type_pk, get_descendants_content_types_pks

from .database import is_title_field

# ts_rank_cd's normalisation flag 1: divide by 1 + log(the vector's length).
TITLE_LENGTH_NORMALIZATION = 1
# How many more matching entries than twice a page's length are read, at first, before those
# outside the searched queryset are dropped (TitlesFirstSearchResults._first_in_queryset).
CANDIDATES = 10
# How many times a count reads more matching entries before it counts them all
# (TitlesFirstSearchResults._count_in_queryset).
COUNT_ROUNDS = 2
# How much more a title's exact spellings (search.query's second branch) count than its folded
# words: a title spelled as typed must outrank one that only matches folded, as on SQLite and
# the engines, though a word without diacritics ("Hoa") is in the title vector twice, as
# written and folded, and "Hòa" only once.
EXACT_SPELLING_WEIGHT = 100
INTEGER_KEY_TYPES = frozenset(
    {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}
)


# Indexing ---------------------------------------------------------------------------------


class VectorTexts(NamedTuple):
    """What modelsearch's as_vector() would turn into a SearchVector expression: the texts,
    their weights and the configuration (see TitleVectorPostgresIndex.vector_sql)."""

    texts: tuple[str, ...]
    weights: tuple[str, ...]
    config: str | None


class TitleVectorIndexer(ObjectIndexer):
    """modelsearch's indexer, with the title fields (see is_title_field) in the title vector.

    Each field of the object is prepared once: modelsearch prepares every search field again
    for each of its five columns (the title, autocomplete and body vectors and the two plain
    texts), so a bulletin's StreamField text and Vietnamese analysis were computed five times.
    Vectors are left as their texts (VectorTexts), compiled to SQL by the index."""

    @cached_property
    def _prepared(self) -> dict[int, list]:
        return {}

    def prepare_field(self, obj, field):
        if obj is not self.obj:  # a related object: prepared each time, as modelsearch does
            return super().prepare_field(obj, field)
        prepared = self._prepared.get(id(field))  # search fields live as long as the indexer
        if prepared is None:
            prepared = self._prepared[id(field)] = list(super().prepare_field(obj, field))
        return iter(prepared)

    def as_vector(self, texts, for_autocomplete=False):
        texts = [(text.strip(), weight) for text, weight in texts]
        texts = [(text, weight) for text, weight in texts if text]
        if not texts:
            return EMPTY_VECTOR
        return VectorTexts(
            texts=tuple(text for text, _ in texts),
            weights=tuple(weight for _, weight in texts),
            config=self.autocomplete_config if for_autocomplete else self.config,
        )

    @cached_property
    def title(self):
        return self.as_vector(
            (value, weight)
            for field in self.search_fields
            for current, weight, value in self.prepare_field(self.obj, field)
            if is_title_field(current)
        )


class TitleVectorPostgresIndex(PostgresIndex):
    def _refresh_title_norms(self, full=False):
        pass  # see the module doc

    def vector_sql(self, compiler, column: str, vector, compiled: dict) -> tuple[str, list]:
        """The SQL and parameters of one vector, as Django compiles modelsearch's expression.

        Compiling a SearchVector expression costs about a millisecond a text; vectors of the
        same shape (configuration and weights) differ only in their texts, so each shape is
        compiled once, with placeholder texts, and the texts are put in their places after."""
        if not isinstance(vector, VectorTexts):  # EMPTY_VECTOR
            value = compiler.prepare_value(IndexEntry._meta.get_field(column), vector)
            sql, params = value.as_sql(compiler, self.write_connection)
            return sql, list(params)
        shape = (column, vector.config, vector.weights)
        if shape not in compiled:
            placeholders = [f"\x00texte {n}\x00" for n in range(len(vector.texts))]
            expression = ADD(
                [
                    SearchVector(
                        Value(text, output_field=TextField()), weight=weight, config=vector.config
                    )
                    for text, weight in zip(placeholders, vector.weights, strict=True)
                ]
            )
            value = compiler.prepare_value(IndexEntry._meta.get_field(column), expression)
            sql, params = value.as_sql(compiler, self.write_connection)
            params = list(params)
            positions = [params.index(placeholder) for placeholder in placeholders]
            assert params.count(placeholders[0]) == 1, "a text appears once in the vector's SQL"
            compiled[shape] = (sql, params, positions)
        sql, template, positions = compiled[shape]
        params = list(template)
        for position, text in zip(positions, vector.texts, strict=True):
            params[position] = text
        return sql, params

    def add_items(self, model, objs):
        """As modelsearch's, with TitleVectorIndexer: one INSERT … ON CONFLICT per batch."""
        if not model.get_search_fields():
            return
        indexers = [TitleVectorIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        compiler = InsertQuery(IndexEntry).get_compiler(connection=self.write_connection)
        compiled: dict = {}
        rows, params = [], []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            vectors = []
            for column in ("title", "autocomplete", "body"):
                sql, vector_params = self.vector_sql(
                    compiler, column, getattr(indexer, column), compiled
                )
                vectors.append(sql)
                params.extend(vector_params)
            rows.append(f"(%s, %s, {', '.join(vectors)}, 1.0, %s, %s)")
            params.extend((indexer.title_text, indexer.body_text))
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {IndexEntry._meta.db_table} (content_type_id, object_id, title,
                    autocomplete, body, title_norm, title_text, body_text)
                VALUES {", ".join(rows)}
                ON CONFLICT (content_type_id, object_id) DO UPDATE SET
                    title = EXCLUDED.title, autocomplete = EXCLUDED.autocomplete,
                    body = EXCLUDED.body, title_text = EXCLUDED.title_text,
                    body_text = EXCLUDED.body_text
                """,
                params,
            )


class TitleRebuilder(PostgresSearchRebuilder):
    def finish(self):
        pass  # modelsearch refreshed every entry's title_norm here (see the module doc)


class AtomicTitleRebuilder(PostgresSearchAtomicRebuilder):
    def finish(self):
        self.transaction.__exit__(None, None, None)
        self.transaction_opened = False


# Searching --------------------------------------------------------------------------------


@contextmanager
def without_sequential_scans(using: str):
    """Run the enclosed queries with the planner's sequential scans off (see the module doc).

    SET LOCAL ends with the transaction, or with the savepoint when one is rolled back; inside
    a caller's transaction it is switched back on by hand.
    """
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        cursor.execute("SET LOCAL enable_seqscan = on")


def whole_entry():
    """The vector an entry matches on: its title fields and its text."""
    return F("title")._combine(F("body"), "||", False)


def matching_entries(tsquery, model, using: str, vector) -> QuerySet:
    """The index entries of `model`'s objects that match on `vector`, which only the vector's
    GIN index can find: the content type is compared as an expression so that its index
    can't serve the scan, and with sequential scans off nothing else can read the table (see
    the module doc)."""
    return (
        IndexEntry._default_manager.using(using)
        .alias(_vector_=vector, entry_content_type=F("content_type_id") + 0)
        .filter(_vector_=tsquery, entry_content_type__in=get_descendants_content_types_pks(model))
    )


def matching_objects(tsquery, model, using: str, vector=None) -> RawSQL:
    """The primary keys of `model`'s objects whose index entry matches (on the whole entry, or
    on `vector`), as a subquery: `OFFSET 0` keeps it apart from the rest of the query. Cast to
    the primary key's type, the keys then find their objects through its index; joining the
    entries instead compares the key cast to text, which no index serves (at 100,000
    bulletins: a scan of every bulletin's key)."""
    entries = matching_entries(tsquery, model, using, vector or whole_entry()).values("object_id")
    sql, params = entries.query.get_compiler(using=using).as_sql()
    pk_type = model._meta.pk.db_type(connections[using])
    return RawSQL(f"SELECT matching.object_id::{pk_type} FROM ({sql} OFFSET 0) AS matching", params)


def entry_value(model, expression):
    """`expression` computed on the index entry of each object of `model` (a correlated
    subquery: one lookup per object, through the entries' unique (content type, object)
    index)."""
    entry = IndexEntry._default_manager.filter(
        content_type_id__in=get_descendants_content_types_pks(model),
        object_id=Cast(OuterRef("pk"), output_field=CharField(max_length=50)),
    )
    return Subquery(entry.annotate(_value_=expression).values("_value_")[:1])


def matching_part(query):
    """What decides whether an entry matches. search.query asks `folded | (folded & exact)`
    when the reader typed diacritics, the second branch only to rank exact spellings higher;
    it matches nothing the first doesn't, so the index is asked for `folded` alone, and skips
    reading the posting lists of the exact spellings' tokens."""
    if isinstance(query, Or) and len(query.subqueries) == 2:
        folded, ranked = query.subqueries
        if isinstance(ranked, And) and ranked.subqueries and ranked.subqueries[0] is folded:
            return folded
    return query


def exact_part(query):
    """The exact spellings' branch of `folded | (folded & exact)` (see matching_part), or None."""
    if isinstance(query, Or) and len(query.subqueries) == 2:
        folded, ranked = query.subqueries
        if (
            isinstance(ranked, And)
            and len(ranked.subqueries) == 2
            and ranked.subqueries[0] is folded
        ):
            return ranked.subqueries[1]
    return None


def _has_negation(query) -> bool:
    if isinstance(query, Not):
        return True
    return any(_has_negation(part) for part in getattr(query, "subqueries", ())) or (
        _has_negation(query.subquery) if hasattr(query, "subquery") else False
    )


class TitleRankedSearchQueryCompiler(PostgresSearchQueryCompiler):
    def is_searching_index_entries(self) -> bool:
        """Whether this is a search of the index entries' vectors (the reader's), which the
        methods below answer; modelsearch's own code does the rest."""
        if self.fields is not None or isinstance(self.query, (MatchAll, Fuzzy)):
            return False
        return not (isinstance(self.query, Not) and isinstance(self.query.subquery, MatchAll))

    def ranks_titles_first(self) -> bool:
        # A title that matches is then also a match of the whole entry, which negation breaks.
        return self.order_by_relevance and not _has_negation(self.query)

    def matching_tsquery(self, config):
        return self.build_tsquery(matching_part(self.query), config=config)

    def text_matches(self, config) -> QuerySet:
        """The queryset's objects that match anywhere, in the queryset's order."""
        tsquery = self.matching_tsquery(config)
        model = self.queryset.model
        return self.queryset.filter(pk__in=matching_objects(tsquery, model, self.queryset.db))

    def title_rank(self, config):
        rank = self.build_tsrank(F("title"), self.query, config=config)
        return entry_value(self.queryset.model, rank)

    def title_matching_objects(self, config) -> RawSQL:
        tsquery = self.matching_tsquery(config)
        return matching_objects(tsquery, self.queryset.model, self.queryset.db, F("title"))

    def title_matches(self, config) -> QuerySet:
        """The queryset's objects whose title fields match, most relevant first: few, and
        found through the title vector's own GIN index (modelsearch's)."""
        return (
            self.queryset.filter(pk__in=self.title_matching_objects(config))
            .alias(_title_rank_=self.title_rank(config))
            .order_by(F("_title_rank_").desc(), "-pk")
        )

    def _matching_entries(self, config, vector) -> QuerySet:
        """The matching index entries, each with its object's key (`_key_`)."""
        return matching_entries(
            self.matching_tsquery(config), self.queryset.model, self.queryset.db, vector
        ).annotate(_key_=Cast("object_id", output_field=IntegerField()))

    def matching_keys(self, config) -> QuerySet:
        """The keys of the objects whose entry matches, in no order."""
        return self._matching_entries(config, whole_entry()).values_list("_key_", flat=True)

    def ranked_title_entries(self, config) -> QuerySet:
        """(key, rank) of the entries whose title fields match, most relevant first."""
        rank = self.build_tsrank(F("title"), self.query, config=config)
        return (
            self._matching_entries(config, F("title"))
            .annotate(_rank_=rank)
            .order_by(F("_rank_").desc(), F("_key_").desc())
            .values_list("_key_", "_rank_")
        )

    def other_text_entries(self, config) -> QuerySet:
        """(key, 0) of the entries that match in their text but not in their title fields,
        newest first."""
        return (
            self._matching_entries(config, whole_entry())
            .exclude(title=self.matching_tsquery(config))
            .annotate(_rank_=Value(0.0, output_field=FloatField()))
            .order_by(F("_key_").desc())
            .values_list("_key_", "_rank_")
        )

    def has_integer_keys(self) -> bool:
        key = self.queryset.model._meta.pk
        key = key.target_field if key.is_relation else key
        return key.get_internal_type() in INTEGER_KEY_TYPES

    def search(self, config, start, stop, score_field=None, backend=None):
        if not self.is_searching_index_entries():
            return super().search(config, start, stop, score_field, backend)
        # One query, for what TitlesFirstSearchResults doesn't split (facets, other orders).
        return self._apply_ordering_and_scoring(
            self.text_matches(config), self.title_rank(config), start, stop, score_field
        )

    def build_tsrank(self, vector, query, config=None, boost=1.0):
        """modelsearch's, with cover density (ts_rank_cd) for each part of the query.

        ts_rank gave nearly every title that shares most of a long query's words the same
        score (it saturates at 1), so the bulletin with exactly that title tied with its
        neighbours; ts_rank_cd scores a title by how closely all the words stand together,
        and a title that lacks one of them scores 0. Divided by the log of the title's length,
        so that a title that is just the query ranks above longer ones that contain it.
        """
        if (exact := exact_part(query)) is not None:
            # modelsearch averages the branches, and the folded words of "Hoa" (twice in the
            # vector) then outranked the exact "Hòa" for the query "hòa".
            return self.build_tsrank(
                vector, matching_part(query), config=config, boost=boost
            ) + EXACT_SPELLING_WEIGHT * self.build_tsrank(vector, exact, config=config, boost=boost)
        if isinstance(query, (Phrase, PlainText, Not)):
            rank = SearchRank(
                vector,
                self.build_tsquery(query, config=config),
                weights=self.sql_weights,
                cover_density=True,
                normalization=Value(TITLE_LENGTH_NORMALIZATION),
            )
            return rank * boost if boost != 1.0 else rank
        return super().build_tsrank(vector, query, config=config, boost=boost)


class TitlesFirstSearchResults(PostgresSearchResults):
    """Matches whose title fields match too, ranked; then the others, newest first.

    Only titles are ranked (see the module doc), so the results split in two: the title
    matches, found and ranked through the title vector's index, and the remaining matches
    (usually most of them), in primary-key order. A page that the title matches fill is one
    small query, however many bulletins mention the words in their text.
    """

    def _searches_index_entries(self) -> bool:
        compiler = self.query_compiler  # autocomplete has modelsearch's compiler
        return (
            isinstance(compiler, TitleRankedSearchQueryCompiler)
            and compiler.is_searching_index_entries()
        )

    def _do_search(self):
        compiler = self.query_compiler
        if not self._searches_index_entries():
            return super()._do_search()
        with without_sequential_scans(compiler.queryset.db):
            if compiler.ranks_titles_first():
                return self._titles_first(compiler, compiler.get_config(self.backend))
            return super()._do_search()

    def _titles_first(self, compiler, config) -> list:
        """A page of results, from the index entries first.

        The entries alone are ranked and ordered (a GIN index scan, the entries' rows, a
        sort), then only the first of them are fetched through the queryset, which drops those
        outside it (other sites, drafts); when too many were dropped, more are asked for. At
        100,000 bulletins, fetching the queryset's objects for every match before ordering
        them took up to half a second for a query whose words are in thousands of titles or
        texts (docs/benchmarks.md, "PostgreSQL at 100,000 bulletins").
        """
        start, stop = self.start, self.stop
        if stop is None or not compiler.has_integer_keys():
            return self._titles_first_in_one_query(compiler, config)
        titled, every_title = self._first_in_queryset(
            compiler, compiler.ranked_title_entries(config), stop
        )
        if not every_title or len(titled) >= stop:
            return self._scored(titled[start:stop])
        rest_start = max(start - len(titled), 0)
        rest_stop = stop - len(titled)
        rest, _ = self._first_in_queryset(compiler, compiler.other_text_entries(config), rest_stop)
        return self._scored(titled[start:] + rest[rest_start:rest_stop])

    @staticmethod
    def _first_in_queryset(compiler, entries, wanted: int) -> tuple[list, bool]:
        """[(object, score)] for the first `wanted` entries (key, score) whose object is in
        the queryset, in the entries' order, and whether every entry was read."""
        limit = 2 * wanted + CANDIDATES
        while True:
            rows = list(entries[:limit])
            every_entry = len(rows) < limit
            objects = compiler.queryset.in_bulk([key for key, _ in rows])
            found = [(objects[key], score) for key, score in rows if key in objects]
            if every_entry or len(found) >= wanted:
                return found, every_entry
            limit *= 8

    def _scored(self, found: list) -> list:
        if self._score_field:
            for obj, score in found:
                setattr(obj, self._score_field, score)
        return [obj for obj, _ in found]

    def _titles_first_in_one_query(self, compiler, config) -> list:
        """Every result (no slice), or objects whose keys aren't integers: each tier is one
        query through the queryset."""
        start, stop = self.start, self.stop
        titled = compiler.title_matches(config)
        if self._score_field:
            titled = titled.annotate(**{self._score_field: compiler.title_rank(config)})
        found = list(titled[start:stop])
        if stop is not None and len(found) == stop - start:
            return found
        titled_count = start + len(found) if found else titled.count()
        rest_start = max(start - titled_count, 0)
        rest_stop = None if stop is None else stop - titled_count
        rest = (
            compiler.text_matches(config)
            .exclude(pk__in=compiler.title_matching_objects(config))
            .order_by("-pk")[rest_start:rest_stop]
        )
        for obj in rest:
            if self._score_field:
                setattr(obj, self._score_field, 0.0)
            found.append(obj)
        return found

    def _do_count(self):
        """The matches within the slice, as modelsearch counts: a search capped at its first
        1,000 results has 1,000 to page through, however many match."""
        compiler = self.query_compiler
        if not self._searches_index_entries():
            return super()._do_count()
        start, stop = self.start, self.stop
        config = compiler.get_config(self.backend)
        with without_sequential_scans(compiler.queryset.db):
            if stop is None or not compiler.has_integer_keys():
                return compiler.text_matches(config)[start:stop].count()
            counted = self._count_in_queryset(compiler, config, stop)
        return max(min(counted, stop) - start, 0)

    @staticmethod
    def _count_in_queryset(compiler, config, wanted: int) -> int:
        """How many matches are in the queryset, counted exactly up to `wanted` at least.

        Some of the matching entries are read (in no order) and the queryset counts which of
        them it holds, reading more when it dropped too many. Counting every match of a common
        word through the queryset took 0.5–3 s at 100,000 bulletins (docs/benchmarks.md);
        after COUNT_ROUNDS reads the exact count is taken all the same."""
        keys = compiler.matching_keys(config)
        limit = wanted + CANDIDATES
        for _ in range(COUNT_ROUNDS):
            read = list(keys[:limit])
            kept = compiler.queryset.filter(pk__in=read).count()
            if len(read) < limit or kept >= wanted:
                return kept
            limit *= 8
        return compiler.text_matches(config).count()


class TitleRankedPostgresSearchBackend(PostgresSearchBackend):
    index_class = TitleVectorPostgresIndex
    query_compiler_class = TitleRankedSearchQueryCompiler
    results_class = TitlesFirstSearchResults
    rebuilder_class = TitleRebuilder
    atomic_rebuilder_class = AtomicTitleRebuilder
