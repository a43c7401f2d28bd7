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


# One archive for all the queries and pages below: building and indexing it is most of a
# test's time, on three backends.


def test_bad_queries_are_answered(client, small_archive):
    problems = [
        f"{query[:30]!r}: {problem}" for query in BAD_QUERIES for problem in answer(client, query)
    ]
    assert problems == []


def answer(client, query: str) -> list[str]:
    """What is wrong with the answers to `query` of the page, autocomplete and API."""
    problems = []
    page = client.get("/tim-kiem/", {"q": query})
    content = page.content.decode()
    if page.status_code != 200 or (BLANK in content) == (ANSWERED in content):
        problems.append(f"search page {page.status_code}")
    suggest = client.get("/tim-kiem/goi-y/", {"q": query})
    if suggest.status_code != 200 or not isinstance(suggest.json()["suggestions"], list):
        problems.append(f"autocomplete {suggest.status_code}")
    api = client.get("/api/v2/pages/", {"type": "bulletins.BulletinPage", "search": query})
    if api.status_code not in (200, 400) or (
        api.status_code == 400
        and not api.json()["message"].startswith("Từ khóa tìm kiếm không có chữ hoặc số nào")
    ):
        problems.append(f"API {api.status_code}: {api.content[:200]!r}")
    return problems


BAD_PAGES_AND_DATES = [
    ("abc", "", "Số trang không hợp lệ"),
    ("-1", "", "Số trang không hợp lệ"),
    ("999999", "", "Không có trang này"),
    ("1", "31/02/2024", "Ngày không hợp lệ"),
    ("\x00", "\x00", "Ngày không hợp lệ"),
    ("2", "2024-01-01'; DROP", "Ngày không hợp lệ"),
]


def test_bad_pages_and_dates_are_explained(client, small_archive):
    unexplained = []
    for page, date, message in BAD_PAGES_AND_DATES:
        response = client.get("/tim-kiem/", {"q": "tre em", "page": page, "tu_ngay": date})
        if response.status_code != 200 or message not in response.content.decode():
            unexplained.append((page, date, response.status_code))
    assert unexplained == []


def test_a_date_before_the_year_1000_is_carried_to_the_next_links(client, small_archive):
    """A date the form accepted (0001-01-01) stays one that it accepts in sort and page links."""
    response = client.get("/tim-kiem/", {"q": "tre em", "tu_ngay": "0001-01-01"})
    query = response.context["pagination_query"]
    assert "tu_ngay=01%2F01%2F0001" in query
    followed = client.get(f"/tim-kiem/?{query}")
    assert "Ngày không hợp lệ" not in followed.content.decode()
    assert list(followed.context["search_results"]) == [small_archive]


def test_the_archive_is_found_at_all(client, small_archive):
    """The bad-input tests above would also pass on a backend that finds nothing."""
    response = client.get("/tim-kiem/", {"q": "tre em"})
    assert list(response.context["search_results"]) == [small_archive]
