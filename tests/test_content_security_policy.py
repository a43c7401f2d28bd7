"""The Content-Security-Policy middleware: the strict reader policy on reader pages, the
admin's own on Wagtail's admin, which still works under it; a bulletin with an embedded player
may frame that player's origin, and no other page may."""

import pytest
from django.urls import reverse
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from bulletins.blocks.media import frame_origins
from bulletins.body import bulletin_body, stream_block
from portal.settings.deployment import content_security_policies
from tests.factories import BulletinPageFactory
from tests.test_admin import bulletin_form_data

READER, ADMIN, ADMIN_PATHS = content_security_policies("/media/")


@pytest.fixture
def csp(settings):
    settings.CONTENT_SECURITY_POLICY = READER
    settings.CONTENT_SECURITY_POLICY_ADMIN = ADMIN
    settings.CONTENT_SECURITY_POLICY_ADMIN_PATHS = ADMIN_PATHS
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "portal.csp.ContentSecurityPolicyMiddleware",
        *settings.MIDDLEWARE[1:],
    ]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.django_db
def test_reader_page_gets_the_strict_policy(csp, client, bulletin):
    response = client.get(bulletin.url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_reader_page_has_no_inline_script_or_style(csp, client, bulletin):
    # The strict policy would block them: reader templates load scripts and styles by URL.
    html = client.get(bulletin.url).content.decode()
    assert "<style" not in html
    assert ' style="' not in html
    for tag in html.split("<script")[1:]:
        assert "src=" in tag.split(">")[0] or 'type="application/json"' in tag.split(">")[0]


@pytest.mark.django_db
def test_search_and_home_get_the_strict_policy(csp, client, home):
    for url in ("/", "/tim-kiem/?q=tin"):
        response = client.get(url)
        assert response.status_code == 200
        assert directives(response)["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_admin_gets_its_own_policy_and_still_works(csp, admin_client, bulletin):
    dashboard = admin_client.get("/admin/")
    assert dashboard.status_code == 200
    assert "'unsafe-inline'" in directives(dashboard)["script-src"]
    edit = admin_client.get(f"/admin/pages/{bulletin.pk}/edit/")
    assert edit.status_code == 200
    assert directives(edit)["frame-ancestors"] == ["'self'"]


VIDEO_URL = "https://www.youtube.com/watch?v=phong-su-le-hoi"


def bulletin_with_embed(category, url=VIDEO_URL):
    body = bulletin_body(date=None, lead="Phóng sự lễ hội.", paragraphs=["Mời xem video."])
    body[1]["value"]["content"].append(stream_block("embed", url))
    return BulletinPageFactory(parent=category, body=body)


def store_embed(url=VIDEO_URL, html=None):
    Embed.objects.create(
        url=url,
        hash=get_embed_hash(url),
        type="video",
        html=html
        or '<iframe title="Lễ hội" src="https://www.youtube.com/embed/x?feature=oembed"></iframe>',
    )


@pytest.mark.django_db
def test_a_bulletin_with_a_video_may_frame_its_player_and_nothing_else(csp, client, category):
    store_embed()
    page = bulletin_with_embed(category)
    plain = BulletinPageFactory(parent=category)

    policy = directives(client.get(page.url))
    assert policy["frame-src"] == ["'self'", "https://www.youtube.com"]
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert directives(client.get(plain.url))["frame-src"] == ["'self'"]


@pytest.mark.django_db
def test_a_cached_bulletin_keeps_its_players_origin(csp, settings, client, category):
    settings.PAGE_CACHE_ENABLED = True
    store_embed()
    page = bulletin_with_embed(category)
    first = client.get(page.url)
    second = client.get(page.url)
    assert second["X-Page-Cache"] == "hit"
    assert directives(second)["frame-src"] == directives(first)["frame-src"]
    assert "https://www.youtube.com" in directives(second)["frame-src"]


@pytest.mark.django_db
def test_an_origin_every_page_allows_is_not_repeated(csp, settings, client, category):
    settings.CONTENT_SECURITY_POLICY = {
        **READER,
        "frame-src": ["'self'", "https://www.youtube.com"],
    }
    store_embed()
    page = bulletin_with_embed(category)
    assert directives(client.get(page.url))["frame-src"] == ["'self'", "https://www.youtube.com"]


@pytest.mark.django_db
def test_the_editors_preview_panel_may_be_framed_by_the_admin(csp, admin_client, category):
    # The side panel frames the preview: the reader's `frame-ancestors 'none'` would blank it.
    store_embed()
    page = bulletin_with_embed(category)
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    form = bulletin_form_data("Lễ hội đền Hùng", "Sapo.", "Đoạn văn.", "Phóng viên")
    assert admin_client.post(preview_url, form).json()["is_valid"]
    preview = admin_client.get(preview_url)
    assert preview.status_code == 200
    assert "Lễ hội đền Hùng" in preview.content.decode()
    assert directives(preview)["frame-ancestors"] == ["'self'"]
    draft = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert directives(draft)["frame-ancestors"] == ["'self'"]


def test_only_the_https_origins_an_embed_frames_are_allowed():
    html = (
        '<iframe src="https://player.vimeo.com/video/1"></iframe>'
        '<iframe src="http://insecure.example/v"></iframe>'
        '<iframe src="/relative"></iframe>'
        '<script src="https://platform.twitter.com/widgets.js"></script>'
    )
    assert frame_origins(html) == {"https://player.vimeo.com"}
    assert frame_origins("<p>no player</p>") == set()
