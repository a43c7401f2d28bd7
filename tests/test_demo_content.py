import pytest
from django.core.management import call_command
from wagtail.models import Site

from bulletins.models import BulletinIndexPage, BulletinPage, Topic
from home.models import HomePage

pytestmark = pytest.mark.django_db


def test_demo_content_loads_once_and_is_searchable(client, capsys):
    call_command("load_demo_content")
    output = capsys.readouterr().out
    assert "tài khoản: admin" in output

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    categories = BulletinIndexPage.objects.live()
    bulletins = BulletinPage.objects.live()
    assert categories.count() >= 4
    assert bulletins.count() >= 30
    years = {date.year for date in bulletins.values_list("date", flat=True)}
    assert len(years) >= 3
    assert all(b.revisions.exists() for b in bulletins)
    assert all(b.topics.exists() for b in bulletins)
    assert Topic.objects.filter(slug="chuyen-doi-so").exists()

    # Totals, drafts included: the English translations are published when the transaction
    # commits, which a test never does.
    counts = (BulletinIndexPage.objects.count(), BulletinPage.objects.count())
    call_command("load_demo_content")
    assert (BulletinIndexPage.objects.count(), BulletinPage.objects.count()) == counts

    response = client.get("/")
    assert response.status_code == 200
    for category in categories:
        assert category.title in response.content.decode()
    bulletin = bulletins.first()
    assert client.get(bulletin.url).status_code == 200

    found = client.get("/tim-kiem/", {"q": bulletin.title.split()[0]})
    assert found.context["search_results"].paginator.count >= 1
