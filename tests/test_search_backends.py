"""What our backends change in modelsearch's, checked on the backends themselves.

The matching rules are in test_vietnamese_search.py; here: the engines' analysis (which also
serves raw queries, as the Wagtail admin sends them), and the database backend's setup.
"""

import unicodedata

import pytest
from django.db import connection
from wagtail.search.backends import get_search_backend

from bulletins.models import BulletinPage
from search.backends import elasticsearch9, opensearch3
from search.backends.analysis import AUTOCOMPLETE_SEARCH_ANALYZER, ENGLISH_ANALYZER, TEXT_ANALYZER
from tests.factories import BulletinIndexPageFactory, BulletinPageFactory
from tests.search_backends import engine_params

MAPPINGS = [elasticsearch9.Elasticsearch9Mapping, opensearch3.OpenSearch3Mapping]
BACKENDS = [elasticsearch9.Elasticsearch9SearchBackend, opensearch3.OpenSearch3SearchBackend]


def _text_fields(properties: dict, prefix: str = ""):
    for name, mapping in properties.items():
        if mapping["type"] == "nested":
            yield from _text_fields(mapping["properties"], f"{prefix}{name}.")
        elif mapping["type"] == "text":
            yield prefix + name, mapping


@pytest.mark.parametrize("mapping_class", MAPPINGS)
def test_every_text_field_has_the_vietnamese_analyzer(mapping_class):
    properties = mapping_class(BulletinPage).get_mapping()["properties"]
    fields = dict(_text_fields(properties))
    assert {"_all_text", "_all_text_boost_2_0", "_edgengrams", "title"} <= set(fields)
    assert any(name.endswith("cited_documents.number") for name in fields)  # nested
    for name, mapping in fields.items():
        if name == "_edgengrams" or name.endswith("_edgengrams"):
            assert mapping["search_analyzer"] == AUTOCOMPLETE_SEARCH_ANALYZER, name
        elif name.endswith("_english"):
            # English bulletins' own field is stemmed as English (the languages issue).
            assert mapping["analyzer"] == ENGLISH_ANALYZER, name
        else:
            assert mapping["analyzer"] == TEXT_ANALYZER, name


@pytest.mark.parametrize("backend_class", BACKENDS)
def test_index_settings_define_the_analyzers(backend_class):
    analysis = backend_class.settings["settings"]["analysis"]
    assert {TEXT_ANALYZER, AUTOCOMPLETE_SEARCH_ANALYZER, "edgengram_analyzer"} <= set(
        analysis["analyzer"]
    )
    assert "standard" not in analysis["analyzer"]
    assert analysis["filter"]["vietnamese_asciifolding"]["preserve_original"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("mapping_class", MAPPINGS)
def test_documents_are_normalised(category, mapping_class):
    page = BulletinPageFactory(parent=category, title=unicodedata.normalize("NFD", "Hoà Bình"))
    document = mapping_class(BulletinPage).get_document(page)
    assert document["title"] == "Hòa Bình"
    assert document["bulletins_bulletinpage__search_title_folded"] == "hoa binh"
    assert document["_django_content_type"] == ["bulletins.BulletinPage", "wagtailcore.Page"]


@pytest.mark.django_db
def test_database_backend_suits_folded_text():
    backend = get_search_backend()
    if connection.vendor == "postgresql":
        # `english` would drop folded syllables such as "do", "me", "no" as stop words.
        assert backend.config == "simple"
        assert type(backend).__name__ == "TitleRankedPostgresSearchBackend"
    else:
        assert type(backend).__name__ == "BM25SQLiteSearchBackend"


@pytest.mark.django_db
def test_database_backend_is_ours_in_a_fresh_process(monkeypatch):
    """modelsearch finds out whether SQLite has FTS5 on its first backend only."""
    from modelsearch.backends import database as modelsearch_database

    from search.backends.database import SearchBackend

    monkeypatch.setattr(modelsearch_database, "USE_SQLITE_FTS", None)
    expected = {
        "postgresql": "TitleRankedPostgresSearchBackend",
        "sqlite": "BM25SQLiteSearchBackend",
    }
    assert type(SearchBackend({})).__name__ == expected[connection.vendor]


@pytest.fixture
def engine_archive(category, search_backend) -> dict[str, BulletinPage]:
    titles = {
        "bac_kan": "Bắc Kạn đón bằng công nhận",
        "doctor": "Bác sĩ về khám bệnh tại xã",
        "road": "Nâng cấp đường tỉnh 258",
        "other": "Hội nghị tổng kết năm",
    }
    pages = {
        key: BulletinPageFactory(
            parent=category, title=title, lead="", paragraphs=["Tin từ cơ sở."], author=""
        )
        for key, title in titles.items()
    }
    search_backend.index()
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("search_backend", engine_params(), indirect=True)
def test_engines_fold_raw_queries_too(engine_archive):
    """Raw queries, not folded by search.query (as the Wagtail admin sends them)."""
    backend = get_search_backend()
    bac = list(backend.search("Bắc", BulletinPage))
    assert bac[:2] == [engine_archive["bac_kan"], engine_archive["doctor"]]
    assert list(backend.search("duong", BulletinPage)) == [engine_archive["road"]]
    assert list(backend.search("ĐƯỜNG", BulletinPage)) == [engine_archive["road"]]
    # modelsearch's stock mapping searches edge n-grams with `standard`, which keeps the ắ
    # and so finds neither; folded, "Bắc" starts both "Bắc" and "Bác".
    autocompleted = set(backend.autocomplete("Bắc", BulletinPage))
    assert autocompleted == {engine_archive["bac_kan"], engine_archive["doctor"]}
    assert list(backend.autocomplete("đườ", BulletinPage)) == [engine_archive["road"]]


@pytest.mark.django_db
def test_sqlite_reads_the_full_text_table_first(category):
    """With the content-type index first, SQLite ran the MATCH once per index entry: seconds
    per search at a thousand bulletins (docs/benchmarks.md)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query planner")
    from modelsearch.backends import get_search_backend as modelsearch_backend

    from search.query import build_search_query, clean_query, parse_query

    for title in ("Trẻ em vùng cao đến trường", "Nâng cấp đường tỉnh 258", "Trẻ em đón Tết"):
        BulletinPageFactory(parent=category, title=title)
    backend = modelsearch_backend()
    query = build_search_query(parse_query(clean_query("trẻ em")))
    compiler = backend.query_compiler_class(BulletinPage.objects.live(), query)
    ranked = compiler.ranked_matches(None)
    sql, params = ranked.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [row[-1] for row in cursor.fetchall()]
    assert "VIRTUAL TABLE" in plan[0], plan
    assert len(list(ranked)) >= 2
    # The title tier's query (search.backends.sqlite) is read the same way.
    titled = compiler.matching_entries(None, ["title"]).values_list("index_entry__object_id")
    sql, params = titled.query.sql_with_params()
    assert "{title} : (" in params[0]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [row[-1] for row in cursor.fetchall()]
    assert "VIRTUAL TABLE" in plan[0], plan
    assert len(compiler.title_matches(None)) == 2


@pytest.mark.django_db
def test_sqlite_title_column_holds_the_folded_and_marked_title(category):
    """modelsearch put only `title` in the FTS title column; the folded title went into the
    body, so folded queries ranked long bodies first (docs/benchmarks.md)."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite index")
    from wagtail.search.models import IndexEntry

    page = BulletinPageFactory(parent=category, title="Bắc Kạn đón bằng công nhận", lead="")
    get_search_backend().add(page)
    entry = IndexEntry.objects.get(object_id=str(page.pk), content_type__model="bulletinpage")
    title_words = entry.title.split()
    assert "Bắc" in title_words  # as written, for raw queries such as the admin's
    assert "bac" in title_words and "kan" in title_words  # folded
    assert "0ba81c" in title_words  # marked: "Bắc" typed with its diacritics


@pytest.mark.django_db
def test_postgresql_title_vector_holds_the_folded_and_marked_title(category):
    """The title vector is what ranks (search.backends.postgres); modelsearch put only the
    title as written there, which folded queries don't meet."""
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL index")
    from wagtail.search.models import IndexEntry

    page = BulletinPageFactory(parent=category, title="Bắc Kạn đón bằng công nhận", lead="")
    get_search_backend().add(page)
    entry = IndexEntry.objects.get(object_id=str(page.pk), content_type__model="bulletinpage")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word FROM ts_stat('SELECT title FROM {IndexEntry._meta.db_table} "
            f"WHERE id = {entry.pk}')"
        )
        lexemes = {row[0] for row in cursor.fetchall()}
    assert {"bắc", "bac", "kan", "0ba81c"} <= lexemes
    assert "tin" not in lexemes  # the body's words stay in the body vector


@pytest.mark.django_db
def test_postgresql_ranks_the_title_vector_and_matches_through_the_index(category):
    """A query of common words matched most bulletins, and ranking read each one's whole body
    vector; the planner also chose to read every entry rather than use the index: seconds per
    query at 10,000 bulletins (docs/benchmarks.md)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's query planner")
    from django.test.utils import CaptureQueriesContext
    from wagtail.search.models import IndexEntry

    from search.searching import vietnamese_search

    titled = BulletinPageFactory(
        parent=category, title="Hội nghị tại huyện Nà Phặc", lead="", paragraphs=["Tin."]
    )
    mentions = BulletinPageFactory(
        parent=category,
        title="Tin vắn trong ngày",
        lead="",
        paragraphs=["Hội nghị tại huyện Nà Phặc đã diễn ra. " * 20],
    )
    get_search_backend().add_bulk(BulletinPage, [titled, mentions])
    results = vietnamese_search(BulletinPage.objects.live(), "tại huyện Nà Phặc")
    compiler = results.query_compiler
    sql = str(compiler.search(compiler.get_config(results.backend), 0, 10).query)
    table = IndexEntry._meta.db_table
    assert f'("{table}"."title" || "{table}"."body") @@' in sql  # matched on everything
    assert f'"{table}"."body"' not in sql.split("ORDER BY", 1)[1]  # ranked on the title
    assert '"_vector_"' not in sql  # and no vector is selected with the results
    with CaptureQueriesContext(connection) as queries:
        assert list(results) == [titled, mentions]
    statements = [query["sql"] for query in queries.captured_queries]
    assert "SET LOCAL enable_seqscan = off" in statements
    searched = next(number for number, sql in enumerate(statements) if "@@" in sql)
    assert statements.index("SET LOCAL enable_seqscan = off") < searched


@pytest.mark.django_db
def test_postgresql_pages_run_on_from_title_matches_into_text_matches(category):
    """Title matches come first, ranked, then text-only matches newest first: every slice
    (a results page) agrees with the whole list, across the boundary too."""
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend's two tiers")
    from search.searching import vietnamese_search

    titled = [
        BulletinPageFactory(parent=category, title=title, lead="", paragraphs=["Tin."])
        for title in (
            "Huyện Nà Phặc đón bằng công nhận nông thôn mới",
            "Nà Phặc",
            "Nông dân Nà Phặc thu hoạch lúa",
        )
    ]
    mentions = [
        BulletinPageFactory(
            parent=category, title=f"Tin vắn số {number}", lead="", paragraphs=["Ở Nà Phặc."]
        )
        for number in range(3)
    ]
    BulletinPageFactory(parent=category, title="Tin vắn khác", lead="", paragraphs=["Ở xã."])
    get_search_backend().add_bulk(BulletinPage, BulletinPage.objects.all())
    results = vietnamese_search(BulletinPage.objects.live(), "na phac")
    everything = list(results)
    assert everything[0] == titled[1]  # the title that is exactly the query
    assert set(everything[:3]) == set(titled)
    assert everything[3:] == sorted(mentions, key=lambda page: page.pk, reverse=True)
    assert results.count() == 6
    for start, stop in [(0, 2), (1, 4), (2, 5), (3, 6), (4, 6), (5, 9), (6, 8)]:
        assert list(results[start:stop]) == everything[start:stop], (start, stop)
    scored = list(vietnamese_search(BulletinPage.objects.live(), "na phac").annotate_score("s"))
    assert scored[0].s > 0 and scored[-1].s == 0


@pytest.mark.django_db
def test_postgresql_pages_drop_matches_outside_the_searched_pages(category, monkeypatch):
    """A page of results ranks the matching index entries first and keeps those in the
    searched queryset; when the first entries read were all outside it (another category
    here), it reads more, so the page is the same as if the queryset had been searched."""
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend's candidates")
    from search.backends import postgres
    from search.searching import vietnamese_search

    monkeypatch.setattr(postgres, "CANDIDATES", 0)  # read as few entries as possible first
    elsewhere = BulletinIndexPageFactory(parent=category.get_parent(), title="Chuyên mục khác")
    for number in range(6):  # short titles: they outrank the one searched for
        BulletinPageFactory(parent=elsewhere, title=f"Nà Phặc {number}")
    titled = BulletinPageFactory(parent=category, title="Nà Phặc vào mùa lúa chín")
    mentions = [
        BulletinPageFactory(
            parent=category, title=f"Tin vắn số {number}", lead="", paragraphs=["Ở Nà Phặc."]
        )
        for number in range(3)
    ]
    get_search_backend().add_bulk(BulletinPage, BulletinPage.objects.all())
    searched = BulletinPage.objects.live().child_of(category)
    expected = [titled, *sorted(mentions, key=lambda page: page.pk, reverse=True)]
    results = vietnamese_search(searched, "na phac")
    for start, stop in [(0, 1), (0, 2), (1, 3), (0, 4), (2, 4), (3, 9)]:
        assert list(results[start:stop]) == expected[start:stop], (start, stop)
    scored = list(vietnamese_search(searched, "na phac").annotate_score("s")[:4])
    assert scored[0].s > 0 and scored[-1].s == 0


@pytest.mark.django_db
@pytest.mark.parametrize("rounds", [1, 2, 0])
def test_postgresql_counts_the_searched_pages_up_to_the_slice(category, monkeypatch, rounds):
    """A capped search counts only up to its cap: it reads some of the matching entries and
    counts those the queryset holds, reads more when the queryset dropped too many (another
    category's here), and counts every match after COUNT_ROUNDS reads. Each way gives the
    count the queryset itself would."""
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend's count")
    from search.backends import postgres
    from search.searching import vietnamese_search

    monkeypatch.setattr(postgres, "CANDIDATES", 0)
    monkeypatch.setattr(postgres, "COUNT_ROUNDS", rounds)
    elsewhere = BulletinIndexPageFactory(parent=category.get_parent(), title="Chuyên mục khác")
    for number in range(6):
        BulletinPageFactory(parent=elsewhere, title=f"Nà Phặc {number}")
    for number in range(4):
        BulletinPageFactory(parent=category, title=f"Nà Phặc mùa lúa {number}")
    get_search_backend().add_bulk(BulletinPage, BulletinPage.objects.all())
    searched = BulletinPage.objects.live().child_of(category)

    for start, stop, expected in [(0, 2, 2), (0, 4, 4), (0, 9, 4), (1, 3, 2), (3, 9, 1), (5, 9, 0)]:
        assert vietnamese_search(searched, "na phac")[start:stop].count() == expected
    assert vietnamese_search(searched, "na phac").count() == 4
    assert vietnamese_search(BulletinPage.objects.live(), "na phac")[:20].count() == 10


@pytest.mark.django_db
def test_postgresql_matches_through_an_index(category):
    """modelsearch matches `title || body`, which its two GIN indexes don't serve: every search
    read every entry (about 2 s per query at 10,000 bulletins, docs/benchmarks.md)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's query planner")
    from wagtail.search.models import IndexEntry

    from search.searching import vietnamese_search

    for title in ("Trẻ em vùng cao đến trường", "Nâng cấp đường tỉnh 258", "Trẻ em đón Tết"):
        page = BulletinPageFactory(
            parent=category, title=title, lead="", paragraphs=["Tin từ cơ sở."], author=""
        )
        get_search_backend().add(page)
    results = vietnamese_search(BulletinPage.objects.live(), "trẻ em")
    compiler = results.query_compiler
    searched = compiler.search(compiler.get_config(results.backend), 0, 10)
    table = IndexEntry._meta.db_table
    match = f'("{table}"."title" || "{table}"."body") @@'
    assert match in str(searched.query)  # what the index below is for
    with connection.cursor() as cursor:
        # A handful of rows: make the planner show whether an index can serve the match.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN SELECT id FROM {table} WHERE (title || body) @@ to_tsquery('simple', 'tre')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_entry_title_body_gin" in plan, plan
    assert len(list(results)) == 2
