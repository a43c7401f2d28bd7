"""Whether any page is restricted is cached (portal.view_restrictions): a restriction added or
removed after readers have read the page takes effect on the next request."""

import pytest
from wagtail.models import PageViewRestriction

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
