import zipfile

import pytest
from django.core.management import call_command
from wagtail.documents.models import Document
from wagtail.images.models import Image
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
    counts = (
        BulletinIndexPage.objects.count(),
        BulletinPage.objects.count(),
        Image.objects.count(),
        Document.objects.count(),
    )
    call_command("load_demo_content")
    assert (
        BulletinIndexPage.objects.count(),
        BulletinPage.objects.count(),
        Image.objects.count(),
        Document.objects.count(),
    ) == counts

    response = client.get("/")
    assert response.status_code == 200
    for category in categories:
        assert category.title in response.content.decode()
    bulletin = bulletins.first()
    assert client.get(bulletin.url).status_code == 200

    found = client.get("/tim-kiem/", {"q": bulletin.title.split()[0]})
    assert found.context["search_results"].paginator.count >= 1
    # In the same test: loading the demo takes seconds.
    assert_every_kind_of_content_block_shows(client)


def assert_every_kind_of_content_block_shows(client):
    """The demo is what a province sees first: between them, its bulletins hold a picture with
    its caption and credit, a heading, a quote, a table and an attached Word document."""
    by_block = {}
    for bulletin in BulletinPage.objects.live():
        for block in bulletin.body[1].value["content"]:
            by_block.setdefault(block.block_type, bulletin)
    assert {"paragraph", "heading", "image", "quote", "table", "document"} <= by_block.keys()

    html = client.get(by_block["image"].url).content.decode()
    assert "<picture>" in html and 'alt="Con đường trải nhựa' in html
    assert "Ảnh minh họa: Ban Biên tập" in html
    assert "<blockquote>" in html and "<table" in html
    # Its picture is also its listing image, and it is its category's featured bulletin.
    assert by_block["image"].listing_image.title.startswith("Tuyến đường kết nối")
    assert 'class="bulletin-card__image"' in client.get("/").content.decode()

    html = client.get(by_block["document"].url).content.decode()
    assert "Kế hoạch số 27/KH-UBND ngày 23/02/2024" in html and "(DOCX," in html
    document = Document.objects.get(title="Kế hoạch số 27/KH-UBND ngày 23/02/2024")
    with document.file.open("rb") as file, zipfile.ZipFile(file) as docx:
        assert "Phòng, chống thiên tai" in docx.read("word/document.xml").decode("utf-8")
