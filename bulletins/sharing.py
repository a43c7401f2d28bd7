"""The image a shared bulletin shows on social networks (og:image): the article's first image,
else the site's default sharing image (PortalSettings), with its size and alt text."""

from dataclasses import dataclass

from django.apps import apps
from wagtail.images.models import SourceImageIOError

DEFAULT_SHARE_IMAGE_SPEC = "format-jpeg|width-1200"


@dataclass(frozen=True)
class ShareImage:
    url: str  # absolute
    width: int
    height: int
    alt: str


def share_image(bulletin, request) -> ShareImage | None:
    if request is None:
        return None
    first_image = bulletin.first_image()
    if first_image is not None:
        rendition = first_image.share_rendition()
        alt = first_image.get("alt_text") or ""
    else:
        portal_settings = apps.get_model("home", "PortalSettings").for_request(request)
        image = portal_settings.share_image
        if image is None:
            return None
        try:
            rendition = image.get_rendition(DEFAULT_SHARE_IMAGE_SPEC)
        except SourceImageIOError:  # the original file is gone from storage
            return None
        alt = image.description or image.title
    if rendition is None:
        return None
    return ShareImage(
        request.build_absolute_uri(rendition.url), rendition.width, rendition.height, alt
    )
