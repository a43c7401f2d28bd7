"""The demo content's pictures and attached documents, made as the demo loads: drawn and
written by this code, so that the repository carries no binary file and nothing from elsewhere.

A picture is a landscape of shapes (no lettering: Pillow's built-in font has no Vietnamese
letters); a document is a small Word file (.docx, the format offices send) whose paragraphs
come from the demo data. Both are found again by title, so loading the demo twice makes each
once.
"""

import io
import zipfile
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image, ImageColor, ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

PICTURE_SIZE = (1200, 675)
# Fixed, so that the same demo data makes the same bytes.
DOCX_TIMESTAMP = (2026, 1, 1, 0, 0, 0)


def ensure_picture(title: str, scene: dict):
    """The demo image called `title`, drawn from `scene` when there is none yet."""
    model = get_image_model()
    image = model.objects.filter(title=title).first()
    if image is None:
        jpeg = ImageFile(io.BytesIO(landscape_jpeg(**scene)), name=f"{scene['name']}.jpg")
        image = model.objects.create(title=title, file=jpeg)
    return image


def ensure_document(title: str, filename: str, paragraphs: list[str]):
    """The demo document called `title`, written from `paragraphs` when there is none yet."""
    model = get_document_model()
    document = model.objects.filter(title=title).first()
    if document is None:
        docx = ContentFile(docx_bytes(paragraphs), name=filename)
        document = model.objects.create(title=title, file=docx)
    return document


def landscape_jpeg(name: str, sky: str, hills: str, road: str, sun: str) -> bytes:
    """Hills under a morning sky, a road running towards them; the colours are the scene's."""
    width, height = PICTURE_SIZE
    picture = Image.new("RGB", PICTURE_SIZE, sky)
    draw = ImageDraw.Draw(picture)
    horizon = int(height * 0.55)
    # The sky pales towards the horizon.
    top = ImageColor.getrgb(sky)
    for y in range(horizon):
        mix = y / horizon
        draw.line([(0, y), (width, y)], fill=tuple(int(c + (255 - c) * 0.55 * mix) for c in top))
    draw.ellipse([width * 0.7, height * 0.12, width * 0.7 + 110, height * 0.12 + 110], fill=sun)
    far, near = _shade(hills, 1.25), hills
    draw.polygon(
        [
            (0, horizon),
            (width * 0.25, horizon - 170),
            (width * 0.55, horizon - 60),
            (width * 0.8, horizon - 200),
            (width, horizon - 90),
            (width, height),
            (0, height),
        ],
        fill=far,
    )
    draw.polygon(
        [
            (0, horizon + 40),
            (width * 0.35, horizon - 40),
            (width * 0.7, horizon + 30),
            (width, horizon - 10),
            (width, height),
            (0, height),
        ],
        fill=near,
    )
    # The road narrows towards the hills; its centre line is dashed.
    centre = width * 0.5
    draw.polygon(
        [
            (centre - 30, horizon),
            (centre + 30, horizon),
            (width * 0.85, height),
            (width * 0.15, height),
        ],
        fill=road,
    )
    for step in range(8):
        y0 = horizon + (height - horizon) * step / 8
        y1 = y0 + (height - horizon) / 16
        draw.line([(centre, y0), (centre, y1)], fill="white", width=2 + step)
    output = io.BytesIO()
    picture.save(output, "JPEG", quality=85)
    return output.getvalue()


def _shade(colour: str, factor: float) -> tuple[int, int, int]:
    return tuple(min(255, int(c * factor)) for c in ImageColor.getrgb(colour))


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A Word document of `paragraphs`, the first one bold: the least a .docx must hold."""
    runs = []
    for number, text in enumerate(paragraphs):
        bold = "<w:rPr><w:b/></w:rPr>" if number == 0 else ""
        runs.append(f'<w:p><w:r>{bold}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>')
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{''.join(runs)}</w:body></w:document>"
        ),
    }
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as docx:
        for name, xml in parts.items():
            docx.writestr(
                zipfile.ZipInfo(name, DOCX_TIMESTAMP), xml.encode("utf-8"), zipfile.ZIP_DEFLATED
            )
    return output.getvalue()
