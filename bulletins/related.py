"""What a bulletin page suggests next: related bulletins (same category first, then shared
topics) and "Tin khác" (the site's other recent news), both read in ONE query.

The query takes three small candidate sets, each newest first from an index: the category's
newest, the newest sharing a topic, the site's newest (each `CANDIDATES` long). The related
ones are the best ranked; "Tin khác" are the newest of the rest. A candidate outside the
site's newest `CANDIDATES` can never be among the newest `OTHER_COUNT` of the rest (at most
`RELATED_COUNT` related ones are taken out), so the split is exact.
"""

from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

RELATED_COUNT = 5
OTHER_COUNT = 5
CANDIDATES = RELATED_COUNT + OTHER_COUNT


@dataclass(frozen=True)
class ReadingSuggestions:
    related: list
    others: list


def reading_suggestions(bulletin, site_root_path: str) -> ReadingSuggestions:
    from .models import BulletinPage, BulletinTopic

    live = BulletinPage.objects.live().exclude(pk=bulletin.pk)
    own_topics = BulletinTopic.objects.filter(content_object_id=bulletin.pk).values("tag_id")
    sharing = BulletinTopic.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=own_topics)
    newest = ("-date", "-pk")
    on_site = live.filter(path__startswith=site_root_path).order_by(*newest)
    in_category = live.filter(category_id=bulletin.category_id).order_by(*newest)
    # Topics are per site: a department's bulletin on the same topic is not suggested here.
    sharing_topic = on_site.filter(Exists(sharing))

    rows = list(
        BulletinPage.objects.filter(
            Q(pk__in=in_category.values("pk")[:CANDIDATES])
            | Q(pk__in=sharing_topic.values("pk")[:CANDIDATES])
            | Q(pk__in=on_site.values("pk")[:CANDIDATES])
        )
        .defer_streamfields()
        .annotate(
            # 3: same category and a shared topic; 2: same category; 1: a shared topic.
            relatedness=Case(
                When(category_id=bulletin.category_id, then=Value(2)),
                default=Value(0),
                output_field=IntegerField(),
            )
            + Case(
                When(Exists(sharing), then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("-relatedness", *newest)
    )
    related = [row for row in rows if row.relatedness][:RELATED_COUNT]
    taken = {row.pk for row in related}
    others = sorted(
        (row for row in rows if row.pk not in taken),
        key=lambda row: (row.date, row.pk),
        reverse=True,
    )[:OTHER_COUNT]
    return ReadingSuggestions(related=related, others=others)
