"""Chooser blocks that fetch everything a bulletin body needs in one query per kind, so a page
renders in a bounded number of queries however many images or embeds it holds; and what an
embed frames, which the reader page's Content-Security-Policy must allow."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.utils.functional import cached_property
from wagtail.embeds.blocks import EmbedBlock, EmbedValue
from wagtail.embeds.models import Embed
from wagtail.images.blocks import ImageChooserBlock


class RenditionPrefetchingImageChooserBlock(ImageChooserBlock):
    def bulk_to_python(self, values):
        values = list(values)
        images = self.model_class.objects.prefetch_renditions().in_bulk(
            [value for value in values if value is not None]
        )
        return [images.get(value) for value in values]


class StoredEmbedValue(EmbedValue):
    """An embed whose oEmbed answer was already loaded from Wagtail's embed table."""

    def __init__(self, url, stored_embed, max_width=None, max_height=None):
        super().__init__(url, max_width, max_height)
        self.stored_embed = stored_embed

    @cached_property
    def html(self):
        if self.stored_embed is None:
            return super().html
        return render_to_string("wagtailembeds/embed_frontend.html", {"embed": self.stored_embed})


class StoredEmbedBlock(EmbedBlock):
    def bulk_to_python(self, values):
        urls = [value for value in values if value]
        stored = {
            embed.url: embed for embed in Embed.objects.filter(url__in=urls, max_width__isnull=True)
        }
        return [
            StoredEmbedValue(
                value,
                stored.get(value),
                getattr(self.meta, "max_width", None),
                getattr(self.meta, "max_height", None),
            )
            if value
            else None
            for value in values
        ]


class _IframeSources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.sources.extend(value for name, value in attrs if name == "src" and value)


def stored_frame_origins(urls) -> set[str]:
    """What the stored embeds of these URLs frame, in one query; never asks the provider
    (saving the block stored each answer, and rendering stores it again if it was removed)."""
    stored = Embed.objects.filter(url__in=urls, max_width__isnull=True).values_list("html")
    return {origin for (html,) in stored for origin in frame_origins(html)}


def frame_origins(embed_html: str) -> set[str]:
    """The HTTPS origins an embed's markup frames ("https://www.youtube.com"): what a reader
    page's Content-Security-Policy must allow for the player to show."""
    parser = _IframeSources()
    parser.feed(embed_html)
    origins = set()
    for source in parser.sources:
        parts = urlsplit(source)
        if parts.scheme == "https" and parts.netloc:
            origins.add(f"https://{parts.netloc}")
    return origins
