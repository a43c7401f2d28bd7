"""Whether any page is restricted is cached (portal.view_restrictions): a restriction added or
removed after readers have read the page takes effect on the next request. Restricted bulletins
stay out of search, suggestions and feeds."""

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from bulletins.listing import category_archive
from tests.factories import BulletinIndexPageFactory, BulletinPageFactory

pytestmark = pytest.mark.django_db


def test_a_restriction_added_after_a_read_applies_at_once_and_its_removal_too(client, bulletin):
    assert bulletin.title in client.get(bulletin.url).content.decode()

    restriction = PageViewRestriction.objects.create(
        page=bulletin.get_parent(),
        restriction_type=PageViewRestriction.PASSWORD,
        password="mat-khau-chuyen-muc",
    )
    html = client.get(bulletin.url).content.decode()
    assert 'name="password"' in html
    assert bulletin.lead not in html

    restriction.delete()
    assert bulletin.lead in client.get(bulletin.url).content.decode()


def test_a_login_restriction_sends_anonymous_readers_to_the_login(client, bulletin):
    client.get(bulletin.url)
    PageViewRestriction.objects.create(page=bulletin, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(bulletin.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("on", ["bulletin", "category"])
def test_a_restriction_forgets_the_pages_cached_for_anonymous_readers(settings, bulletin, on):
    """Wagtail publishes nothing when a page is made private: the restriction itself renews
    the site's cached pages."""
    settings.PAGE_CACHE_ENABLED = True
    reader = Client()
    assert reader.get(bulletin.url).headers.get("X-Page-Cache") == "miss"
    assert reader.get(bulletin.url).headers.get("X-Page-Cache") == "hit"
    page = bulletin if on == "bulletin" else bulletin.get_parent()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="mat-khau"
    )
    html = reader.get(bulletin.url).content.decode()
    assert 'name="password"' in html
    assert bulletin.lead not in html

    restriction.delete()
    assert bulletin.lead in reader.get(bulletin.url).content.decode()


# -- search, suggestions and feeds --


@pytest.fixture
def restricted(home, bulletin):
    internal = BulletinIndexPageFactory(parent=home, title="Nội bộ", slug="noi-bo")
    secret = BulletinPageFactory(
        parent=internal, title="Kế hoạch mật phòng chống lụt bão", lead="Chỉ dành cho cán bộ"
    )
    PageViewRestriction.objects.create(
        page=internal, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    private_in_public_category = BulletinPageFactory(
        parent=bulletin.get_parent(), title="Kế hoạch nội bộ tiếp dân"
    )
    PageViewRestriction.objects.create(
        page=private_in_public_category, restriction_type=PageViewRestriction.LOGIN
    )
    return [secret, private_in_public_category]


def test_search_leaves_restricted_bulletins_out(client, restricted):
    results = list(client.get("/tim-kiem/", {"q": "ke hoach"}).context["search_results"])
    assert not set(results) & set(restricted)


def test_suggestions_leave_restricted_bulletins_out(client, restricted):
    suggestions = client.get("/tim-kiem/goi-y/", {"q": "ke hoach"}).json()["suggestions"]
    assert not {page.title for page in restricted} & {item["title"] for item in suggestions}


def test_feeds_leave_restricted_bulletins_out(client, bulletin, restricted):
    for url in ("/rss/", "/atom/", bulletin.get_parent().url + "rss/"):
        feed = client.get(url).content.decode()
        assert bulletin.title in feed
        assert not [page.title for page in restricted if page.title in feed], url


def test_search_leaves_restricted_bulletins_out_on_every_backend(
    client, restricted, search_backend
):
    public = BulletinPageFactory(parent=restricted[1].get_parent(), title="Kế hoạch tiêm chủng")
    search_backend.index()
    results = list(client.get("/tim-kiem/", {"q": "ke hoach"}).context["search_results"])
    assert public in results
    assert not set(results) & set(restricted)


def test_the_home_page_topics_and_reading_suggestions_leave_restricted_bulletins_out(
    client, bulletin, restricted
):
    for page in (bulletin, *restricted):
        page.topics.add("Phòng chống thiên tai")
        page.save_revision().publish()
    for url in ("/", "/chu-de/phong-chong-thien-tai/", bulletin.url):
        html = client.get(url).content.decode()
        assert bulletin.title in html, url
        assert not [page.title for page in restricted if page.title in html], url
    # Counted as listed: one bulletin readers may open.
    topic = client.get("/chu-de/").context["topics"][0]
    assert (topic.name, topic.bulletin_count) == ("Phòng chống thiên tai", 1)


# -- a category's own listing --


def test_a_category_lists_and_counts_only_what_anonymous_readers_may_open(client, bulletin):
    category = bulletin.get_parent().specific
    private = BulletinPageFactory(
        parent=category, title="Kế hoạch nội bộ tiếp dân", lead="Chỉ dành cho cán bộ"
    )
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    html = client.get(category.url).content.decode()
    assert bulletin.title in html
    assert "Kế hoạch nội bộ tiếp dân" not in html
    assert "Chỉ dành cho cán bộ" not in html
    assert category_archive(category).count == 1


def test_a_bulletin_made_private_after_a_read_leaves_the_count_and_returns(client, bulletin):
    category = bulletin.get_parent().specific
    other = BulletinPageFactory(parent=category, title="Kế hoạch nội bộ tiếp dân")
    assert "Kế hoạch nội bộ tiếp dân" in client.get(category.url).content.decode()
    assert category_archive(category).count == 2
    restriction = PageViewRestriction.objects.create(
        page=other, restriction_type=PageViewRestriction.LOGIN
    )
    assert "Kế hoạch nội bộ tiếp dân" not in client.get(category.url).content.decode()
    assert category_archive(category).count == 1
    restriction.delete()
    assert "Kế hoạch nội bộ tiếp dân" in client.get(category.url).content.decode()
    assert category_archive(category).count == 2
