"""Readers search in their own language: the search page under /en/ and the API with
`?locale=en` find English bulletins, and Vietnamese ones otherwise."""

import pytest

from tests.factories import BulletinPageFactory
from tests.search_backends import engine_params, search_backend_under_test
from tests.translating import translated

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilingual(category):
    vietnamese = BulletinPageFactory(
        parent=category, title="Hội nghị xúc tiến du lịch Bắc Kạn", lead="", author=""
    )
    english_category = translated(category)
    english = BulletinPageFactory(
        parent=english_category,
        title="Bac Kan tourism promotion conference",
        lead="",
        author="",
        locale=english_category.locale,
    )
    return vietnamese, english


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


def test_api_search_is_in_one_language(client, bilingual):
    vietnamese, english = bilingual
    assert titles(client.get("/api/v2/pages/", {"search": "bac kan"})) == [vietnamese.title]
    in_english = client.get("/api/v2/pages/", {"search": "bac kan", "locale": "en"})
    assert titles(in_english) == [english.title]


def test_search_suggestions_are_in_the_readers_language(client, bilingual):
    vietnamese, english = bilingual
    root = client.get("/tim-kiem/goi-y/", {"q": "bac ka"}).json()["suggestions"]
    assert [item["title"] for item in root] == [vietnamese.title]
    under_en = client.get("/en/tim-kiem/goi-y/", {"q": "bac ka"}).json()["suggestions"]
    assert [item["title"] for item in under_en] == [english.title]
    assert under_en[0]["url"].startswith("/en/")


@pytest.fixture(params=engine_params())
def engine_backend(request, db, search_engine):
    with search_backend_under_test(request.param, search_engine) as backend:
        yield backend


def test_english_pages_are_analysed_as_english_on_the_engines(client, category, engine_backend):
    """Elasticsearch and OpenSearch stem English: "conference" finds "conferences"."""
    english_category = translated(category)
    english = BulletinPageFactory(
        parent=english_category,
        title="Provincial conferences promote tourism",
        lead="",
        author="",
        paragraphs=["Three meetings were held in the highlands."],
        locale=english_category.locale,
    )
    vietnamese = BulletinPageFactory(
        parent=category, title="Hội nghị xúc tiến du lịch", lead="", author=""
    )
    engine_backend.index()
    found = client.get("/en/tim-kiem/", {"q": "conference meeting"}).context["search_results"]
    assert list(found) == [english]
    found = client.get("/tim-kiem/", {"q": "hoi nghi"}).context["search_results"]
    assert list(found) == [vietnamese]
