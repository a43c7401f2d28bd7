"""Whatever a reader or a client sends, search answers in Vietnamese, never with a 500.

Each test runs on the database of this pass and, in the PostgreSQL pass, on Elasticsearch 9
and OpenSearch 3 (marked search_engine): the page, the autocomplete endpoint and the API.
"""

import pytest

from tests.factories import BulletinPageFactory

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    "",
    " ",
    "AND (",
    '"',
    '"trẻ em',
    "*",
    "~",
    ":",
    "title:trẻ",
    "tre~2 em*",
    "'; DROP TABLE wagtailcore_page; --",
    "\x00",
    "\x07trẻ\x1bem\u200b",
    "a" * 5000,
    "trẻ em " * 800,
    "NOT OR AND NEAR",
    "((()))",
    "\\",
    "%_",
]
BLANK = "Chưa có từ khóa để tìm"
ANSWERED = "kết quả cho"


@pytest.fixture
def small_archive(category, search_backend):
    page = BulletinPageFactory(
        parent=category,
        title="Chăm lo Tết cho trẻ em vùng cao",
        lead="Quà Tết đến với trẻ em các bản xa.",
        paragraphs=["Nội dung."],
        author="",
    )
    search_backend.index()
    return page


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_are_answered(client, small_archive, query):
    page = client.get("/tim-kiem/", {"q": query})
    assert page.status_code == 200
    content = page.content.decode()
    assert (BLANK in content) != (ANSWERED in content), query

    suggest = client.get("/tim-kiem/goi-y/", {"q": query})
    assert suggest.status_code == 200
    assert isinstance(suggest.json()["suggestions"], list)

    api = client.get("/api/v2/pages/", {"type": "bulletins.BulletinPage", "search": query})
    assert api.status_code in (200, 400), api.content
    if api.status_code == 400:
        assert api.json()["message"].startswith("Từ khóa tìm kiếm không có chữ hoặc số nào")


@pytest.mark.parametrize(
    ("page", "date", "message"),
    [
        ("abc", "", "Số trang không hợp lệ"),
        ("-1", "", "Số trang không hợp lệ"),
        ("999999", "", "Không có trang này"),
        ("1", "31/02/2024", "Ngày không hợp lệ"),
        ("\x00", "\x00", "Ngày không hợp lệ"),
        ("2", "2024-01-01'; DROP", "Ngày không hợp lệ"),
    ],
)
def test_bad_pages_and_dates_are_explained(client, small_archive, page, date, message):
    response = client.get("/tim-kiem/", {"q": "tre em", "page": page, "tu_ngay": date})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_archive_is_found_at_all(client, small_archive):
    """The bad-input tests above would also pass on a backend that finds nothing."""
    response = client.get("/tim-kiem/", {"q": "tre em"})
    assert list(response.context["search_results"]) == [small_archive]
