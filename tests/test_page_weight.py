"""A bulletin page is light and self-contained: its HTML, CSS and JS together stay under
100 KB (images aside), nothing is requested from another site on load, and nothing inline
needs a Content-Security-Policy exception."""

import datetime
import io
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images.models import Image

from bulletins.body import bulletin_body, stream_block
from tests.factories import BulletinPageFactory
from tests.vietnamese_text import VietnameseTextGenerator

pytestmark = pytest.mark.django_db

WEIGHT_LIMIT = 100 * 1024
LOADED_LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "manifest", "prefetch"}


class LoadedResources(HTMLParser):
    """What a browser fetches while opening the page (not what the reader may click)."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self.other: list[str] = []
        self.inline_scripts = 0
        self.inline_styles: list[str] = []
        self._in_script_without_src = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.inline_styles.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.inline_styles.append("<style>")
        if tag == "script":
            if attrs.get("src"):
                self.scripts.append(attrs["src"])
            elif attrs.get("type") not in ("application/ld+json", "application/json"):
                self.inline_scripts += 1
        elif tag == "link" and set((attrs.get("rel") or "").split()) & LOADED_LINK_RELS:
            target = self.stylesheets if "stylesheet" in attrs["rel"] else self.other
            target.append(attrs["href"])
        elif tag in ("img", "source", "iframe", "video", "audio", "embed"):
            for name in ("src", "srcset"):
                for candidate in (attrs.get(name) or "").split(","):
                    if candidate.strip():
                        self.other.append(candidate.strip().split()[0])

    @property
    def everything(self) -> list[str]:
        return self.scripts + self.stylesheets + self.other


def static_file(url: str) -> bytes:
    assert url.startswith("/static/"), url
    path = finders.find(url.removeprefix("/static/"))
    assert path, f"{url} is not a static file of the project"
    with open(path, "rb") as file:
        return file.read()


def jpeg(name: str) -> Image:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (1400, 800), (40, 90, 160)).save(buffer, "JPEG")
    return Image.objects.create(title=name, file=ImageFile(buffer, name=f"{name}.jpg"))


@pytest.fixture
def realistic_bulletin(category):
    """A long bulletin as editors write them: a lead, a dozen paragraphs, headings, photos,
    a quote, topics, with neighbours for the related and "Tin khác" lists."""
    text = VietnameseTextGenerator(seed=7)
    for day in range(1, 13):
        BulletinPageFactory(parent=category, date=datetime.date(2024, 4, day))
    body = bulletin_body(
        date=datetime.date(2024, 5, 2),
        lead=text.sentence(),
        paragraphs=[text.paragraph() for _ in range(12)],
        author=text.person_name(),
    )
    content = body[1]["value"]["content"]
    for position, name in ((0, "anh-dau"), (6, "anh-giua")):
        value = {"image": jpeg(name).pk, "alt_text": "Ảnh minh họa", "caption": "Chú thích ảnh"}
        content.insert(position, stream_block("image", value))
    content.insert(3, {"type": "heading", "value": {"text": "Nhiệm vụ", "level": "h2"}, "id": "h"})
    content.append({"type": "quote", "value": {"text": text.sentence()}, "id": "q"})
    page = BulletinPageFactory(parent=category, title=text.title(), body=body)
    page.topics.add("Chuyển đổi số", "Cải cách hành chính")
    page.save_revision().publish()
    return page


def test_bulletin_page_weighs_under_100_kb_without_third_party_requests(client, realistic_bulletin):
    response = client.get(realistic_bulletin.url)
    assert response.status_code == 200
    html = response.content
    resources = LoadedResources()
    resources.feed(html.decode())
    assert resources.stylesheets and resources.scripts

    third_party = [
        url for url in resources.everything if urlsplit(url).netloc not in ("", "testserver")
    ]
    assert third_party == []

    css = [static_file(url) for url in resources.stylesheets]
    js = [static_file(url) for url in resources.scripts]
    for stylesheet in css:
        assert not re.search(rb"@import|url\(\s*['\"]?(https?:)?//", stylesheet)
    weight = len(html) + sum(map(len, css)) + sum(map(len, js))
    assert weight < WEIGHT_LIMIT, f"{weight} bytes"


def test_bulletin_page_needs_no_inline_script_or_style(client, realistic_bulletin):
    resources = LoadedResources()
    resources.feed(client.get(realistic_bulletin.url).content.decode())
    assert resources.inline_scripts == 0
    assert resources.inline_styles == []
