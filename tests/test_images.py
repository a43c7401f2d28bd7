"""Article images: responsive WebP renditions with a JPEG fallback, the first one loaded at
once and the rest lazily, always with their alt text."""

import io
import re

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images.models import Image

from bulletins.blocks import ViewDataBlock
from bulletins.blocks.content import ImageBlock

pytestmark = pytest.mark.django_db


def photo(name: str, width: int = 1600, height: int = 900) -> Image:
    """A real JPEG, drawn with Pillow: a gradient, so that encoders have something to do."""
    picture = PillowImage.new("RGB", (width, height))
    picture.putdata(
        [(x * 255 // width, y * 255 // height, 120) for y in range(height) for x in range(width)]
    )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return Image.objects.create(title=name, file=ImageFile(buffer, name=f"{name}.jpg"))


def image_value(image: Image, alt: str) -> dict:
    return {"image": image.pk, "alt_text": alt, "caption": "", "credit": ""}


@pytest.fixture
def article_html():
    block = ViewDataBlock()
    value = block.to_python(
        {
            "lead": "Sapo.",
            "content": [
                {"type": "image", "value": image_value(photo("hoi-nghi"), "Hội nghị"), "id": "a"},
                {"type": "paragraph", "value": "<p>Đoạn văn.</p>", "id": "b"},
                {
                    "type": "image",
                    "value": image_value(photo("cong-trinh"), "Công trình"),
                    "id": "c",
                },
            ],
            "author": "",
        }
    )
    return block.render(value)


def pictures(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html, flags=re.S)


def test_images_are_pictures_with_a_webp_source_and_a_jpeg_fallback(article_html):
    first, second = pictures(article_html)
    source = re.search(r'<source[^>]*type="image/webp"[^>]*>', first).group(0)
    assert re.findall(r"\.webp (\d+)w", source) == ["480", "800", "1200"]
    assert 'sizes="(max-width: 800px) 100vw, 760px"' in source
    img = re.search(r"<img[^>]*>", first).group(0)
    assert re.search(r'srcset="[^"]*\.jpg 480w, [^"]*\.jpg 800w, [^"]*\.jpg 1200w"', img)
    assert re.search(r'src="[^"]*\.jpg"', img)
    assert 'alt="Hội nghị"' in img
    # Shown as wide as the column allows, not at the smallest rendition's 480 px.
    assert 'width="1200"' in img and 'height="675"' in img


def test_the_first_image_loads_at_once_and_the_others_lazily(article_html):
    first, second = pictures(article_html)
    assert 'loading="eager"' in first and 'loading="lazy"' not in first
    assert 'loading="lazy"' in second
    assert 'alt="Công trình"' in second


def test_an_image_alone_is_lazy_and_keeps_its_alt_text():
    block = ImageBlock()
    html = block.render(block.to_python(image_value(photo("le-hoi", 640, 480), "Lễ hội")))
    (picture,) = pictures(html)
    assert 'loading="lazy"' in picture and 'alt="Lễ hội"' in picture
    # Never wider than the original, never one width twice: 480 and the original's 640.
    assert re.findall(r"\.jpg (\d+)w", picture) == ["480", "640"]
    assert re.findall(r"\.webp (\d+)w", picture) == ["480", "640"]
    assert 'width="640"' in picture and 'height="480"' in picture
