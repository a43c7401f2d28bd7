"""Vietnamese full-text search: every matching rule, on every backend.

Each test runs on the database of this pass (PostgreSQL, or SQLite with TEST_DATABASE=sqlite)
and, in the PostgreSQL pass, on Elasticsearch 9 and OpenSearch 3 (see tests/search_backends.py).
"""

import unicodedata

import pytest

from bulletins.models import BulletinPage
from search.searching import vietnamese_autocomplete, vietnamese_search
from tests.factories import BulletinPageFactory

pytestmark = pytest.mark.django_db

# Every text is given in full, so that no generated word can make a test pass or fail by chance.
ARCHIVE = {
    "children": ("Chăm lo Tết cho trẻ em vùng cao", "Quà Tết đến với trẻ em các bản xa."),
    "young": ("Đoàn viên tình nguyện về thôn", "Đội hình trẻ đến thăm các em học sinh."),
    "bac_kan": ("Bắc Kạn đón bằng công nhận", "Tỉnh nhận bằng công nhận của Trung ương."),
    "doctor": ("Bác sĩ về khám bệnh tại xã", "Các bác sĩ khám bệnh cho người cao tuổi."),
    "road": ("Nâng cấp đường tỉnh 258", "Tuyến đường dài 12 km được trải nhựa."),
    "person": ("Ông Nguyễn Văn Sơn nhận Huân chương", "Lễ trao tặng diễn ra tại hội trường."),
    "old_tone": ("Khu du lịch Hoà Phú mở cửa", "Du khách đến thăm hồ nước."),
    "new_tone": ("Xã Hòa Thắng ra mắt mô hình", "Mô hình nuôi bò vỗ béo."),
    "decomposed": (
        unicodedata.normalize("NFD", "Ngày hội đại đoàn kết ở Nà Pồng"),
        unicodedata.normalize("NFD", "Người dân ở Nà Pồng vui ngày hội."),
    ),
    "citing": (
        "Triển khai công văn về phòng chống dịch",
        "Thực hiện Công văn số 1566/UND-VXNV ngày 12/3 của UBND tỉnh.",
    ),
    "numbers": ("Ban hành kế hoạch số 1566", "Kế hoạch gồm 12 nhiệm vụ trọng tâm."),
    # Folded, these are English stop words ("me", "do"): PostgreSQL's `english` config drops them.
    "mother": ("Thăm Mẹ Việt Nam anh hùng", "Mẹ Đỗ Thị Mai năm nay 95 tuổi."),
}


@pytest.fixture
def archive(category, search_backend) -> dict[str, BulletinPage]:
    pages = {
        key: BulletinPageFactory(
            parent=category, title=title, lead=lead, paragraphs=[lead], author="Minh Huyền"
        )
        for key, (title, lead) in ARCHIVE.items()
    }
    search_backend.index()
    return pages


def found(query: str, **kwargs) -> list[BulletinPage]:
    return list(vietnamese_search(BulletinPage.objects.live(), query, **kwargs))


def keys(archive: dict[str, BulletinPage], pages: list[BulletinPage]) -> list[str]:
    by_pk = {page.pk: key for key, page in archive.items()}
    return [by_pk[page.pk] for page in pages]


DIACRITIC_FREE_QUERIES = {
    "tre em": "children",
    "trẻ em": "children",
    "Bac Kan": "bac_kan",
    "BẮC KẠN": "bac_kan",
    "duong": "road",
    "nguyen": "person",
    "Nguyễn Văn Sơn": "person",
    "na pong": "decomposed",
    "me": "mother",
    "Đỗ": "mother",
    "do thi mai": "mother",
}


def test_diacritics_are_optional(archive):
    missed = {
        query: key
        for query, key in DIACRITIC_FREE_QUERIES.items()
        if key not in keys(archive, found(query))
    }
    assert missed == {}


def test_every_word_is_required(archive):
    assert keys(archive, found("tre em bac si")) == []
    assert set(keys(archive, found("tre em"))) == {"children", "young"}


def test_every_word_is_required_with_diacritics_too(archive):
    # Typed diacritics add an "exact spelling" branch; it may rank, never widen the match.
    assert keys(archive, found("trẻ em bác sĩ")) == []
    assert keys(archive, found("Bắc Kạn bác sĩ")) == []
    assert keys(archive, found("đường Nguyễn")) == []
    assert keys(archive, found("bác sĩ khám")) == ["doctor"]


def test_decomposed_text_and_queries_match_composed(archive):
    decomposed = unicodedata.normalize("NFD", "trẻ em")
    assert set(keys(archive, found(decomposed))) == set(keys(archive, found("trẻ em")))
    assert "children" in keys(archive, found(decomposed))
    assert keys(archive, found("Nà Pồng")) == ["decomposed"]
    assert keys(archive, found(unicodedata.normalize("NFD", "Nà Pồng"))) == ["decomposed"]


def test_both_tone_placements_find_each_other(archive):
    for query in ["hoà", "hòa", "Hoà", unicodedata.normalize("NFD", "hoà")]:
        assert set(keys(archive, found(query))) == {"old_tone", "new_tone"}, query


def test_exact_diacritics_rank_first(archive):
    bac = keys(archive, found("bắc"))
    assert {"bac_kan", "doctor"} <= set(bac)
    assert bac.index("bac_kan") < bac.index("doctor")
    bac = keys(archive, found("bác"))
    assert bac.index("doctor") < bac.index("bac_kan")


@pytest.mark.parametrize(
    "titles,query,first",
    [
        (["Hoa liễu xanh", "Hòa liễu xanh"], "hòa", "Hòa liễu xanh"),
        (["Ba Bể đón khách", "Bà Rịa đón khách"], "bà", "Bà Rịa đón khách"),
        (["Ca sĩ hát", "Cá sĩ hát"], "cá", "Cá sĩ hát"),
        (["Nhà văn hóa thôn Na", "Nhà văn hóa thôn Nà"], "Nà", "Nhà văn hóa thôn Nà"),
        # The same word in the old tone placement ("goá") is an exact spelling of "góa".
        (["Goá đón khách", "Goa đón khách"], "góa", "Goá đón khách"),
    ],
)
def test_exact_diacritics_outrank_a_spelling_without_any(
    category, search_backend, titles, query, first
):
    for title in titles:
        BulletinPageFactory(
            parent=category, title=title, lead="Không có gì.", paragraphs=["Không."], author=""
        )
    search_backend.index()
    found = [page.title for page in vietnamese_search(BulletinPage.objects.live(), query)]
    assert found[0] == first, found


def test_a_title_ranks_above_bodies_that_mention_it(category, search_backend):
    """Known-item search (bench/search.py): the bulletin with that title comes first, with or
    without diacritics, though other bulletins repeat its words in long bodies."""
    titled = BulletinPageFactory(
        parent=category,
        title="Tổng kết công tác dân vận năm 2024",
        lead="Hội nghị diễn ra sáng nay.",
        paragraphs=["Các đại biểu thảo luận kế hoạch năm tới."],
        author="",
    )
    mentions = [
        BulletinPageFactory(
            parent=category,
            title=title,
            lead="Công tác dân vận được tổng kết.",
            paragraphs=[
                "Tại hội nghị tổng kết công tác dân vận năm 2024, đại biểu nêu nhiều ý kiến. "
                "Công tác dân vận năm 2024 có nhiều đổi mới; tổng kết công tác dân vận của "
                "các xã cho thấy dân vận khéo đem lại kết quả tốt trong năm 2024.",
            ],
            author="",
        )
        for title in ("Xã Tân Lập học tập kinh nghiệm", "Phát huy vai trò của người uy tín")
    ]
    search_backend.index()
    for query in ("Tổng kết công tác dân vận năm 2024", "tong ket cong tac dan van nam 2024"):
        results = found(query)
        assert results[0] == titled, query
        assert set(results[1:]) == set(mentions), query


def test_quoted_words_are_a_phrase(archive):
    assert set(keys(archive, found("trẻ em"))) == {"children", "young"}
    assert keys(archive, found('"trẻ em"')) == ["children"]
    assert keys(archive, found("“tre em”")) == ["children"]
    assert keys(archive, found('"em trẻ"')) == []


def test_document_number_finds_the_bulletins_citing_it(archive):
    assert keys(archive, found("1566/UND-VXNV")) == ["citing"]
    assert keys(archive, found("1566/und-vxnv")) == ["citing"]
    assert set(keys(archive, found("1566"))) == {"citing", "numbers"}


def test_newest_first(archive):
    results = found("tre em", order_by=("-date", "-id"))
    assert [page.date for page in results] == sorted((page.date for page in results), reverse=True)
    assert set(keys(archive, results)) == {"children", "young"}


ODD_QUERIES = ["", " ", '"', '""', "AND (", "*", "~", ":", "'; DROP TABLE wagtailcore_page; --"]
ODD_QUERIES += ["\x00", "a" * 5000, "NOT", "OR OR", "NEAR(a b)", "tre -em", "^$%&|!", "(((", "\\"]


def test_odd_queries_never_fail(archive):
    for query in ODD_QUERIES:
        assert isinstance(found(query), list), query
        assert isinstance(found(query, order_by=("-date", "-id")), list), query


def test_autocomplete_is_diacritic_insensitive(archive):
    for query in ["bac", "Bắc", "BẮC K", "bac kan", "đón", unicodedata.normalize("NFD", "Bắc")]:
        results = vietnamese_autocomplete(BulletinPage.objects.live(), query)
        assert "bac_kan" in keys(archive, list(results)), query


@pytest.mark.parametrize(
    "query, titles",
    [
        ("bac k", ["Bắc Kạn đón bằng công nhận"]),
        ("BẮC KẠ", ["Bắc Kạn đón bằng công nhận"]),
        ("tre em v", ["Chăm lo Tết cho trẻ em vùng cao"]),
        ("ba k", []),
        ("tr em", []),
        ("ch tr", []),
    ],
)
def test_autocomplete_takes_only_the_last_word_as_a_prefix_on_every_backend(
    category, search_backend, query, titles
):
    for title in ("Bắc Kạn đón bằng công nhận", "Chăm lo Tết cho trẻ em vùng cao"):
        BulletinPageFactory(parent=category, title=title, lead="x", paragraphs=["x"], author="")
    search_backend.index()
    found = vietnamese_autocomplete(BulletinPage.objects.live(), query)
    assert [page.title for page in found] == titles
