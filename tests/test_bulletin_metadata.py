"""What a shared or catalogued bulletin says about itself (issue 7, feeds and metadata):
og:image with its size and alt text (the article's first image, else the site's default), and
every Dublin Core field on English bulletins too."""

import re

import pytest
from wagtail.models import Site

from bulletins.body import bulletin_body, stream_block
from home.models import PortalSettings
from tests.factories import BulletinPageFactory
from tests.test_images import image_value, photo
from tests.translating import translated

pytestmark = pytest.mark.django_db

DUBLIN_CORE = (
    "DC.title",
    "DC.creator",
    "DC.date",
    "DC.description",
    "DC.publisher",
    "DC.identifier",
    "DC.language",
)


def meta(html: str, key: str) -> list[str]:
    """The content of every <meta property|name="key">."""
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)


def with_images(*images) -> list[dict]:
    body = bulletin_body(date=None, lead="Sapo.", paragraphs=["Đoạn văn."], author="Minh Huyền")
    body[1]["value"]["content"] += [
        stream_block("image", image_value(image, alt)) for image, alt in images
    ]
    return body


def test_og_image_is_the_first_article_image_with_size_and_alt(client, category):
    bulletin = BulletinPageFactory(
        parent=category,
        body=with_images(
            (photo("hoi-nghi", 1600, 900), "Quang cảnh hội nghị"), (photo("cau"), "Cầu")
        ),
    )
    html = client.get(bulletin.url).content.decode()
    [url] = meta(html, "og:image")
    assert url.startswith("http://testserver/") and url.endswith(".jpg")
    assert "hoi-nghi" in url and ".width-1200" in url
    assert meta(html, "og:image:width") == ["1200"]
    assert meta(html, "og:image:height") == ["675"]
    assert meta(html, "og:image:alt") == ["Quang cảnh hội nghị"]


def test_a_small_first_image_is_shared_at_its_own_size(client, category):
    bulletin = BulletinPageFactory(
        parent=category, body=with_images((photo("nho", 600, 400), "Ảnh nhỏ"))
    )
    html = client.get(bulletin.url).content.decode()
    assert meta(html, "og:image:width") == ["600"]
    assert meta(html, "og:image:height") == ["400"]


def test_og_image_falls_back_to_the_sites_default_then_to_none(client, bulletin):
    html = client.get(bulletin.url).content.decode()
    assert meta(html, "og:image") == []  # no image anywhere: no og:image at all

    default = photo("tru-so", 2000, 1000)
    default.description = "Trụ sở UBND tỉnh"
    default.save()
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.share_image = default
    settings.save()
    html = client.get(bulletin.url).content.decode()
    [url] = meta(html, "og:image")
    assert "tru-so" in url and url.endswith(".jpg")
    assert meta(html, "og:image:width") == ["1200"]
    assert meta(html, "og:image:height") == ["600"]
    assert meta(html, "og:image:alt") == ["Trụ sở UBND tỉnh"]


def test_english_bulletins_carry_every_dublin_core_field_in_english(client, bulletin):
    english = translated(bulletin)
    english.title = "Suspension bridge opened"
    english.save_revision().publish()
    html = client.get(english.url).content.decode()
    for name in DUBLIN_CORE:
        assert meta(html, name), name
    assert meta(html, "DC.language") == ["en"]
    assert meta(html, "DC.title") == ["Suspension bridge opened"]
    assert meta(html, "DC.identifier") == [english.full_url]
    assert meta(html, "DC.date") == [bulletin.date.isoformat()]
    assert meta(html, "DC.publisher") == ["Government web portal"]
    assert f'<link rel="canonical" href="{english.full_url}">' in html
    vietnamese = client.get(bulletin.url).content.decode()
    assert meta(vietnamese, "DC.language") == ["vi"]
    assert meta(vietnamese, "DC.publisher") == ["Cổng thông tin điện tử"]


def test_deleting_the_default_share_image_does_not_break_bulletins(client, bulletin):
    default = photo("tru-so", 1300, 700)
    portal_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal_settings.share_image = default
    portal_settings.save()
    assert client.get(bulletin.url).status_code == 200  # the site's settings are now cached
    default.delete()  # an editor deletes the image in the admin; the FK is SET_NULL
    # The next bulletin published (or any bulletin whose cached fragments are stale)
    newer = BulletinPageFactory(parent=bulletin.get_parent())
    response = client.get(newer.url)
    assert response.status_code == 200


def test_a_first_image_whose_file_is_gone_leaves_og_image_out(client, category):
    image = photo("mat-tep", 900, 600)
    body = bulletin_body(
        date=None,
        lead="Sapo",
        paragraphs=["Đoạn."],
        content=[stream_block("image", image_value(image, "Ảnh"))],
    )
    bulletin = BulletinPageFactory(parent=category, body=body)
    image.file.storage.delete(image.file.name)
    response = client.get(bulletin.url)
    assert response.status_code == 200
    assert 'property="og:image"' not in response.content.decode()


def test_a_default_share_image_whose_file_is_gone_leaves_og_image_out(client, bulletin):
    default = photo("tru-so", 1300, 700)
    portal_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal_settings.share_image = default
    portal_settings.save()
    default.file.storage.delete(default.file.name)
    response = client.get(bulletin.url)
    assert response.status_code == 200
    assert 'property="og:image"' not in response.content.decode()
