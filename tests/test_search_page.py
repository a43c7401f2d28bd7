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
