"""RSS 2.0 and Atom feeds of the newest bulletins of a site or of a category.

Every text goes out without control characters (portal.text): XML can't carry them, and one
of them in a title would fail the whole feed.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext

from portal.text import without_control_characters

FEED_LENGTH = 30


class BulletinRssFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, source_page, bulletins):
        super().__init__()
        self.source_page = source_page
        self.bulletins = bulletins
        # The source page's language (Django reads `language` as a plain attribute): an
        # English category's feed lists English bulletins.
        self.language = source_page.locale.language_code

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        return without_control_characters(self.source_page.title)

    def link(self) -> str:
        return self.source_page.get_url(self.request) or "/"

    def feed_url(self) -> str:
        # Atom's rel="self" and RSS's atom:link: where readers subscribed from.
        return self.request.build_absolute_uri(self.request.path)

    def description(self) -> str:
        intro = without_control_characters(getattr(self.source_page, "intro", ""))
        return intro or gettext("Tin mới nhất: %(title)s") % {"title": self.title()}

    def items(self):
        return self.bulletins[:FEED_LENGTH]

    def item_title(self, item) -> str:
        return without_control_characters(item.title)

    def item_description(self, item) -> str:
        return without_control_characters(item.lead)

    def item_link(self, item) -> str:
        return item.get_url(self.request)

    def item_guid(self, item) -> str:
        return item.get_full_url(self.request)

    def item_pubdate(self, item) -> datetime.datetime:
        if item.first_published_at and timezone.localdate(item.first_published_at) == item.date:
            return item.first_published_at
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time()))

    def item_updateddate(self, item) -> datetime.datetime | None:
        return item.last_published_at

    def item_author_name(self, item) -> str | None:
        return without_control_characters(item.author) or None


class BulletinAtomFeed(BulletinRssFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()
