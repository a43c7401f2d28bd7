import pytest

from tests.factories import BulletinPageFactory

pytestmark = pytest.mark.django_db


def test_search_finds_bulletins_of_the_site(client, category):
    bulletin = BulletinPageFactory(parent=category, title="Khánh thành cầu treo bản Nà Làng")
    response = client.get("/tim-kiem/", {"q": "cầu treo"})
    assert response.status_code == 200
    assert list(response.context["search_results"]) == [bulletin]
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        '"',
        "AND (",
        "*",
        "~",
        ":",
        "'; DROP TABLE wagtailcore_page; --",
        "\x00",
        "a" * 5000,
    ],
)
def test_odd_queries_never_fail(client, category, query):
    BulletinPageFactory(parent=category)
    response = client.get("/tim-kiem/", {"q": query, "page": "abc"})
    assert response.status_code == 200


def plain_bulletin(category, title: str):
    """A bulletin whose only searchable words are its title's (no generated text)."""
    return BulletinPageFactory(
        parent=category, title=title, lead="", paragraphs=["Nội dung chi tiết."], author=""
    )


def test_search_page_counts_sorts_and_pages(client, category, search_backend, monkeypatch):
    """On every backend: the count, both orders and the pages, for a query without diacritics."""
    monkeypatch.setattr("search.views.RESULTS_PER_PAGE", 2)
    titles = ["Trẻ em vùng cao đón Tết", "Trao quà cho trẻ em nghèo", "Trẻ em được tiêm vắc xin"]
    pages = [plain_bulletin(category, title) for title in titles]
    plain_bulletin(category, "Hội nghị tổng kết năm")
    search_backend.index()

    response = client.get("/tim-kiem/", {"q": "tre em", "sort": "newest"})
    assert response.status_code == 200
    assert "Tìm thấy 3 kết quả cho “tre em”" in response.content.decode()
    first_page = list(response.context["search_results"])
    assert first_page == sorted(pages, key=lambda page: page.date, reverse=True)[:2]
    assert "sort=newest&amp;page=2" in response.content.decode()

    response = client.get("/tim-kiem/", {"q": "tre em", "sort": "newest", "page": "2"})
    assert len(response.context["search_results"]) == 1

    response = client.get("/tim-kiem/", {"q": "tre em"})
    assert response.context["sort"] == "relevance"
    assert response.context["search_results"].paginator.count == 3


def test_no_results_say_what_to_try(client, category):
    plain_bulletin(category, "Hội nghị tổng kết năm")
    response = client.get("/tim-kiem/", {"q": "khinh khí cầu"})
    content = response.content.decode()
    assert "Tìm thấy 0 kết quả cho “khinh khí cầu”" in content
    assert "Không tìm thấy bản tin nào." in content
    assert "gõ không dấu" in content


@pytest.mark.parametrize("typed", ["trer em", "tre3 em"])
def test_telex_and_vni_keys_are_tried_when_nothing_matches(client, category, typed):
    bulletin = plain_bulletin(category, "Chăm lo cho trẻ em vùng cao")
    response = client.get("/tim-kiem/", {"q": typed})
    assert list(response.context["search_results"]) == [bulletin]
    assert "Đã tìm theo: <strong>“trẻ em”</strong>" in response.content.decode()


def test_telex_is_not_tried_when_the_query_finds_something(client, category):
    bulletin = plain_bulletin(category, "Ra mắt sách mới")
    response = client.get("/tim-kiem/", {"q": "sach"})
    assert list(response.context["search_results"]) == [bulletin]
    assert response.context["searched_for"] is None


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999999", "1e9", "2.5", "", "\x00"])
@pytest.mark.parametrize("sort", ["newest", "bogus", ""])
def test_bad_page_numbers_and_sorts_never_fail(client, category, page, sort):
    plain_bulletin(category, "Trẻ em vùng cao đón Tết")
    response = client.get("/tim-kiem/", {"q": "tre em", "page": page, "sort": sort})
    assert response.status_code == 200
    assert response.context["search_results"].paginator.count == 1


def test_suggestions_ignore_diacritics(client, category):
    bulletin = plain_bulletin(category, "Bắc Kạn đón bằng công nhận")
    plain_bulletin(category, "Hội nghị tổng kết năm")
    for query in ["bac", "Bắc K", "BAC KAN"]:
        response = client.get("/tim-kiem/goi-y/", {"q": query})
        assert response.status_code == 200
        assert response.json()["suggestions"] == [
            {"title": bulletin.title, "url": bulletin.url, "date": bulletin.date.isoformat()}
        ], query
    assert "Bắc Kạn" in response.content.decode()  # UTF-8, not \\u escapes


@pytest.mark.parametrize("query", ["", "b", '"', "*", "\x00", "a" * 5000, "'; DROP"])
def test_odd_suggestion_queries_never_fail(client, category, query):
    plain_bulletin(category, "Bắc Kạn đón bằng công nhận")
    response = client.get("/tim-kiem/goi-y/", {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)
