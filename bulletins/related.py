"""What a bulletin page suggests next: related bulletins (same category first, then shared
topics) and "Tin khác" (the site's other recent news).

Suggestions are drawn from three short lists, each newest first and `CANDIDATES` + 1 long (the
extra one for the bulletin itself): the site's, the category's, and that of the bulletins
sharing one of its topics. The related ones are the best ranked of their union; "Tin khác" are
the newest of the rest. A bulletin outside the site's newest `CANDIDATES` can never be among
the newest `OTHER_COUNT` of the rest (at most `RELATED_COUNT` related ones are taken out), so
the split is exact.

The lists change only when a page of the site is published, unpublished, moved or deleted, the
events that renew the site's generation token (caching.generations): they are kept in the cache
under that token and read in one round trip, so a bulletin page spends no query on them once
any bulletin of its category has been read. Without a site (a preview) or without a cache
(Redis away) they are read from the database.
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import chain

from django.db.models import Exists, OuterRef
from wagtail.models import Site

from caching.generations import cached_for_site
from portal.view_restrictions import public_only

RELATED_COUNT = 5
OTHER_COUNT = 5
CANDIDATES = RELATED_COUNT + OTHER_COUNT
LIST_TIMEOUT = 60 * 60

# 2 for the same category, 1 for a shared topic: both rank above either alone.
SAME_CATEGORY = 2
SHARED_TOPIC = 1


@dataclass(frozen=True)
class SuggestedBulletin:
    """What a suggestion link shows, with its URL on the site it was listed for."""

    pk: int
    title: str
    url: str
    date: date
    category_id: int
    topic_ids: frozenset[int]

    @property
    def date_shown(self) -> str:
        """As the legacy portal wrote dates (dd/mm/yyyy), in every language."""
        return self.date.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class ReadingSuggestions:
    related: list[SuggestedBulletin]
    others: list[SuggestedBulletin]


@dataclass(frozen=True)
class _Listing:
    """One newest-first list: the site's, a category's, or that of the bulletins sharing any
    of a set of topics (bulletins with the same topics share it)."""

    kind: str
    category_id: int | None = None
    topic_ids: frozenset[int] = frozenset()

    def key(self, site_id: int, root_path: str) -> str:
        topics = ",".join(map(str, sorted(self.topic_ids)))
        digest = hashlib.blake2b(topics.encode(), digest_size=8).hexdigest()
        return (
            f"bulletins:suggestions:{site_id}:{root_path}:{self.kind}:{self.category_id}:{digest}"
        )

    def filter(self, queryset):
        if self.kind == "category":
            return queryset.filter(category_id=self.category_id)
        if self.kind == "topics":
            from .models import BulletinTopic

            sharing = BulletinTopic.objects.filter(
                content_object_id=OuterRef("pk"), tag_id__in=self.topic_ids
            )
            return queryset.filter(Exists(sharing))
        return queryset


def _read(listing: _Listing, root_path: str, request) -> list[SuggestedBulletin]:
    from .models import BulletinPage, BulletinTopic

    pages = list(
        listing.filter(public_only(BulletinPage.objects.live()).filter(path__startswith=root_path))
        .only("title", "date", "category_id", "url_path")
        .order_by("-date", "-pk")[: CANDIDATES + 1]
    )
    topics: dict[int, set[int]] = {page.pk: set() for page in pages}
    for page_id, tag_id in BulletinTopic.objects.filter(content_object_id__in=topics).values_list(
        "content_object_id", "tag_id"
    ):
        topics[page_id].add(tag_id)
    return [
        SuggestedBulletin(
            pk=page.pk,
            title=page.title,
            url=page.get_url(request) or "",
            date=page.date,
            category_id=page.category_id,
            topic_ids=frozenset(topics[page.pk]),
        )
        for page in pages
    ]


def _lists(listings, root_path: str, request, site) -> list[list[SuggestedBulletin]]:
    """Each listing's rows: from the cache under the site's generation token when it holds
    them, else read and stored there."""
    if site is None:
        return [_read(listing, root_path, request) for listing in listings]
    builders = {
        listing.key(site.pk, root_path): partial(_read, listing, root_path, request)
        for listing in listings
    }
    return list(cached_for_site(site.pk, builders, LIST_TIMEOUT).values())


def reading_suggestions(bulletin, request, topic_ids) -> ReadingSuggestions:
    """`topic_ids`: the bulletin's own topics (the page has read them already)."""
    site = Site.find_for_request(request) if request else None
    root_path = bulletin.site_root_path(request)
    own_topics = frozenset(topic_ids)
    listings = [_Listing("site"), _Listing("category", category_id=bulletin.category_id)]
    if own_topics:
        listings.append(_Listing("topics", topic_ids=own_topics))
    candidates = {
        row.pk: row
        for row in chain.from_iterable(_lists(listings, root_path, request, site))
        if row.pk != bulletin.pk
    }

    def relatedness(row: SuggestedBulletin) -> int:
        return SAME_CATEGORY * (row.category_id == bulletin.category_id) + SHARED_TOPIC * bool(
            row.topic_ids & own_topics
        )

    def newest_first(row: SuggestedBulletin):
        return (row.date, row.pk)

    by_date = sorted(candidates.values(), key=newest_first, reverse=True)
    ranked = sorted((row for row in by_date if relatedness(row)), key=relatedness, reverse=True)
    related = ranked[:RELATED_COUNT]
    taken = {row.pk for row in related}
    others = [row for row in by_date if row.pk not in taken][:OTHER_COUNT]
    return ReadingSuggestions(related=related, others=others)
