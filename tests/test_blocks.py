"""Every block of a bulletin renders, validates and previews."""

import datetime

import pytest
import wagtail_factories
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.blocks import StreamValue
from wagtail.documents.models import Document
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from bulletins.blocks import ContentStreamBlock, ToolbarBlock, ViewDataBlock
from bulletins.blocks.content import (
    DocumentBlock,
    EmbedContentBlock,
    HeadingBlock,
    ImageBlock,
    ParagraphBlock,
    QuoteBlock,
    TableContentBlock,
)
from bulletins.filesize import human_file_size
from bulletins.models import BulletinPage

ALL_BLOCKS = [
    ToolbarBlock,
    ViewDataBlock,
    ParagraphBlock,
    HeadingBlock,
    ImageBlock,
    QuoteBlock,
    TableContentBlock,
    EmbedContentBlock,
    DocumentBlock,
]


@pytest.mark.parametrize("block_class", ALL_BLOCKS)
def test_every_block_declares_its_editor_metadata(block_class):
    meta = block_class().meta
    assert meta.icon and meta.label and meta.template and meta.group
    assert meta.template.startswith("bulletins/blocks/")
    assert hasattr(meta, "preview_value")


@pytest.mark.parametrize(
    "block_class", [ToolbarBlock, ViewDataBlock, ParagraphBlock, HeadingBlock, QuoteBlock]
)
def test_text_blocks_render_their_preview_value(block_class):
    block = block_class()
    html = block.render(block.normalize(block.meta.preview_value))
    assert html.strip()


def test_toolbar_renders_date_and_font_size_buttons():
    block = ToolbarBlock()
    html = block.render(
        block.to_python(
            {"date": "2023-03-21", "show_font_size": True, "show_print": True, "show_share": False}
        )
    )
    assert "21/03/2023" in html
    assert 'aria-label="Tăng cỡ chữ"' in html
    assert 'aria-label="Giảm cỡ chữ"' in html
    assert "In bài" in html
    assert "facebook" not in html


def test_toolbar_can_hide_font_size_and_print():
    block = ToolbarBlock()
    html = block.render(
        block.to_python({"show_font_size": False, "show_print": False, "show_share": False}),
        context={"page": None},
    )
    assert "data-font-size" not in html
    assert "In bài" not in html


def test_view_data_renders_lead_paragraphs_and_signature():
    block = ViewDataBlock()
    value = block.to_python(
        {
            "lead": "Ngày 20/3, UBND tỉnh ban hành công văn.",
            "content": [
                {"type": "paragraph", "value": "<p>Đoạn thứ nhất.</p>", "id": "a"},
                {"type": "heading", "value": {"text": "Nhiệm vụ", "level": "h3"}, "id": "b"},
                {"type": "paragraph", "value": "<p>Đoạn thứ hai.</p>", "id": "c"},
            ],
            "author": "Minh Huyền",
        }
    )
    html = block.render(value)
    assert '<p class="article__lead">Ngày 20/3, UBND tỉnh ban hành công văn.</p>' in html
    assert html.index("Đoạn thứ nhất") < html.index("Nhiệm vụ") < html.index("Đoạn thứ hai")
    assert '<h3 class="block-heading">Nhiệm vụ</h3>' in html
    assert '<p class="article__signature">Minh Huyền</p>' in html


@pytest.mark.django_db
def test_image_block_renders_a_rendition_with_alt_caption_and_credit():
    image = wagtail_factories.ImageFactory(title="Hội nghị")
    block = ImageBlock()
    value = block.to_python(
        {
            "image": image.pk,
            "alt_text": "Đại biểu dự hội nghị",
            "caption": "Quang cảnh hội nghị",
            "credit": "Ảnh: Thu Hà",
        }
    )
    html = block.render(value)
    assert 'alt="Đại biểu dự hội nghị"' in html
    assert 'loading="lazy"' in html
    assert "Quang cảnh hội nghị" in html and "Ảnh: Thu Hà" in html


@pytest.mark.django_db
def test_image_block_requires_alt_text():
    image = wagtail_factories.ImageFactory()
    block = ImageBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))
    assert "alt_text" in str(error.value.block_errors)


def test_quote_block_renders_text_and_attribution():
    block = QuoteBlock()
    html = block.render(block.to_python({"text": "Dân là gốc.", "attribution": "Chủ tịch"}))
    assert "<blockquote><p>Dân là gốc.</p></blockquote>" in html
    assert "— Chủ tịch" in html


def test_table_block_renders_header_and_caption():
    block = TableContentBlock()
    html = block.render(block.to_python(block.meta.preview_value))
    assert "<th" in html and "Sở Giao thông vận tải" in html
    assert "Kết quả giải ngân vốn đầu tư công" in html


@pytest.mark.django_db
def test_embed_block_renders_the_stored_embed_without_the_network():
    url = "https://www.youtube.com/watch?v=demo-hoa-son"
    Embed.objects.create(
        url=url,
        max_width=None,
        hash=get_embed_hash(url),
        type="video",
        html='<iframe title="Phóng sự" src="https://www.youtube.com/embed/x"></iframe>',
        title="Phóng sự",
    )
    stream = ContentStreamBlock()
    value = stream.to_python([{"type": "embed", "value": url, "id": "e"}])
    html = stream.render(value)
    assert '<iframe title="Phóng sự"' in html


@pytest.mark.django_db
def test_document_block_links_the_file_with_type_and_size():
    document = Document.objects.create(title="Kế hoạch 45/KH-UBND")
    document.file.save("ke-hoach-45.pdf", ContentFile(b"%PDF-1.4 " + b"x" * 1_258_000))
    document.file_size = document.file.size
    document.save()
    block = DocumentBlock()
    html = block.render(block.to_python({"document": document.pk, "title": ""}))
    assert "Kế hoạch 45/KH-UBND" in html
    # Type and size inside the link, so that a screen reader announces them with it.
    assert "(PDF, 1,2\xa0MB)</span></a>" in html
    assert document.url in html


@pytest.mark.parametrize(
    "size, text",
    [
        (None, ""),
        (0, "0\xa0B"),
        (1023, "1023\xa0B"),
        (1024, "1\xa0KB"),
        (2_150, "2,1\xa0KB"),
        (1_258_291, "1,2\xa0MB"),
        (15 * 1024**3, "15\xa0GB"),
    ],
)
def test_file_sizes_read_the_vietnamese_way(size, text):
    assert human_file_size(size) == text


@pytest.mark.django_db
def test_document_without_a_stored_size_reads_it_from_storage():
    document = Document.objects.create(title="Quyết định 12/QĐ-UBND")
    document.file.save("quyet-dinh-12.docx", ContentFile(b"x" * 3 * 1024))
    Document.objects.filter(pk=document.pk).update(file_size=None)
    block = DocumentBlock()
    value = block.to_python({"document": document.pk, "title": "Quyết định"})
    assert value.file_summary() == "DOCX, 3\xa0KB"


@pytest.mark.django_db
def test_new_bulletin_starts_with_one_toolbar_and_one_view_data_block():
    page = BulletinPage(title="Bản tin mới")
    assert [block.block_type for block in page.body] == ["toolbar", "view_data"]
    assert isinstance(page.body, StreamValue)


@pytest.mark.django_db
def test_page_date_lead_and_author_are_plain_attributes(bulletin):
    bulletin.body[0].value["date"] = datetime.date(2023, 3, 21)
    bulletin.body[1].value["lead"] = "Sapo mới."
    bulletin.body[1].value["author"] = "Minh Huyền"
    bulletin.save()
    bulletin.refresh_from_db()
    assert bulletin.date == datetime.date(2023, 3, 21)
    assert bulletin.lead == "Sapo mới."
    assert bulletin.author == "Minh Huyền"


def test_body_allows_one_toolbar_and_requires_one_view_data():
    from bulletins.blocks import BulletinBodyBlock

    block = BulletinBodyBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python([]))
