"""What a translator sees of a bulletin in wagtail-localize: its texts, and not its dates,
numbers, images or files."""

import datetime

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail_localize.segments import OverridableSegmentValue, StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from bulletins.body import bulletin_body, stream_block
from tests.factories import BulletinPageFactory
from tests.translating import translated

pytestmark = pytest.mark.django_db


def _add(body: list[dict], block_type: str, value) -> None:
    body[1]["value"]["content"].append(stream_block(block_type, value))


@pytest.fixture
def rich_bulletin(category):
    image = wagtail_factories.ImageFactory()
    document = Document.objects.create(title="Kế hoạch 45")
    document.file.save("ke-hoach-45.pdf", ContentFile(b"%PDF-1.4"))
    body = bulletin_body(
        date=datetime.date(2024, 3, 21),
        lead="Tỉnh triển khai kế hoạch chuyển đổi số năm 2024.",
        paragraphs=["Các sở, ngành phối hợp thực hiện 12 nhiệm vụ trọng tâm."],
        author="Minh Huyền",
    )
    _add(body, "heading", {"text": "Nhiệm vụ trọng tâm", "level": "h2"})
    _add(
        body,
        "image",
        {
            "image": image.pk,
            "alt_text": "Quang cảnh hội nghị",
            "caption": "Hội nghị triển khai kế hoạch",
            "credit": "Ảnh: Ban Biên tập",
        },
    )
    _add(body, "document", {"document": document.pk, "title": "Kế hoạch số 45/KH-UBND"})
    bulletin = BulletinPageFactory(
        parent=category,
        title="Triển khai chuyển đổi số năm 2024",
        body=body,
        legacy_id="2024/chuyen-doi-so.txt",
        legacy_checksum="abc123",
    )
    return bulletin, image, document


def test_bulletin_texts_are_segments_and_dates_images_files_are_not(rich_bulletin):
    bulletin, image, document = rich_bulletin
    segments = extract_segments(bulletin)
    strings = {
        segment.path: segment.render_text()
        for segment in segments
        if isinstance(segment, StringSegmentValue)
    }
    texts = set(strings.values())
    assert {
        "Triển khai chuyển đổi số năm 2024",  # title
        "Tỉnh triển khai kế hoạch chuyển đổi số năm 2024.",  # lead
        "Các sở, ngành phối hợp thực hiện 12 nhiệm vụ trọng tâm.",  # paragraph
        "Nhiệm vụ trọng tâm",  # heading
        "Quang cảnh hội nghị",  # alt text
        "Hội nghị triển khai kế hoạch",  # caption
        "Ảnh: Ban Biên tập",  # credit
        "Kế hoạch số 45/KH-UBND",  # document title
        "Minh Huyền",  # author
    } <= texts
    # Dates, heading levels, switches and the legacy identity are not translated.
    assert not any("2024-03-21" in text or text in ("h2", "True") for text in texts)
    assert not any(path.startswith("legacy_") for path in strings)
    assert not any(path.endswith(".date") or path.endswith(".level") for path in strings)
    # Images and files are kept as they are, not retranslated: a translator may only swap one.
    kept = {
        segment.path: segment.data
        for segment in segments
        if isinstance(segment, OverridableSegmentValue)
    }
    assert image.pk in kept.values() and document.pk in kept.values()


def test_translation_keeps_date_and_files_and_leaves_the_legacy_identity(rich_bulletin):
    bulletin, image, document = rich_bulletin
    english = translated(bulletin)
    assert english.date == bulletin.date == datetime.date(2024, 3, 21)
    assert english.lead == bulletin.lead
    assert english.author == "Minh Huyền"
    assert english.legacy_id is None and english.legacy_checksum == ""
    blocks = {block.block_type: block.value for block in english.body[1].value["content"]}
    assert blocks["image"]["image"] == image
    assert blocks["document"]["document"] == document
