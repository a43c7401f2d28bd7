"""Editors see every block previewed in the StreamField chooser, with Vietnamese labels and
help, and the preview of a bulletin is the reader's page."""

import re

import pytest
from django.urls import reverse
from wagtail import blocks

from bulletins.models import BulletinPage

BODY = BulletinPage._meta.get_field("body").stream_block
VIEW_DATA_CONTENT = BODY.child_blocks["view_data"].child_blocks["content"]
# What the two StreamField choosers offer: the bulletin's two blocks and the article's blocks.
CHOOSABLE = [*BODY.child_blocks.values(), *VIEW_DATA_CONTENT.child_blocks.values()]
VIETNAMESE = re.compile(
    r"[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I
)


@pytest.mark.parametrize("block", CHOOSABLE, ids=lambda block: block.name)
def test_every_choosable_block_has_vietnamese_editor_metadata(block):
    meta = block.meta
    assert meta.icon and meta.group and meta.template.startswith("bulletins/blocks/")
    assert VIETNAMESE.search(str(meta.label)), meta.label
    assert VIETNAMESE.search(block.get_description()), "needs a description for editors"
    assert hasattr(meta, "preview_value")
    assert block.is_previewable


@pytest.mark.parametrize(
    "block",
    [block for block in CHOOSABLE if isinstance(block, blocks.StructBlock)],
    ids=lambda block: block.name,
)
def test_struct_block_fields_have_vietnamese_labels(block):
    for child in block.child_blocks.values():
        assert VIETNAMESE.search(str(child.label)), child.name


@pytest.mark.django_db
@pytest.mark.parametrize("block", CHOOSABLE, ids=lambda block: block.name)
def test_every_choosable_block_renders_its_preview_in_the_reader_style(admin_client, block):
    response = admin_client.get(
        reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<link rel="stylesheet" href="/static/css/portal.css">' in html
    body = re.search(r'<div class="article-body[^"]*">(.*)</div>\s*</article>', html, re.S).group(1)
    assert body.strip(), f"{block.name} renders nothing in its preview"


@pytest.mark.django_db
def test_the_editors_preview_of_a_bulletin_is_the_readers_page(admin_client, client, bulletin):
    bulletin.topics.add("Giao thông")
    revision = bulletin.save_revision()
    revision.publish()

    def article(html: str) -> str:
        # Only the reader's page counts a view: a preview has no view-count beacon address.
        html = re.sub(r' data-view-count-url="[^"]*"', "", html)
        return re.search(r'<article class="article".*?</article>', html, re.S).group(0)

    # The admin's preview of the revision, as an editor opens it from the page's history.
    preview = admin_client.get(
        reverse("wagtailadmin_pages:revisions_view", args=[bulletin.pk, revision.pk])
    )
    live = client.get(bulletin.url)
    assert preview.status_code == 200
    assert preview.templates[0].name == "bulletins/bulletin_page.html"
    assert article(preview.content.decode()) == article(live.content.decode())
