"""Wagtail checks a page's view restrictions, and its ancestors', before serving it: two
queries on every reader request. Most portals restrict no page at all, so whether any
restriction exists is cached, and forgotten whenever one is saved or deleted; pages then skip
both queries until an editor restricts one.
"""

from django.core.cache import cache
from django.db import transaction
from wagtail.models import PageViewRestriction

RESTRICTIONS_EXIST_KEY = "portal:view-restrictions-exist"
RESTRICTIONS_EXIST_TIMEOUT = 60 * 60


def view_restrictions_exist() -> bool:
    exist = cache.get(RESTRICTIONS_EXIST_KEY)
    if exist is None:
        exist = PageViewRestriction.objects.exists()
        cache.set(RESTRICTIONS_EXIST_KEY, exist, RESTRICTIONS_EXIST_TIMEOUT)
    return exist


def forget_whether_restrictions_exist(**signal_kwargs) -> None:
    """Now, and again after the commit: a reader who looked in between may have cached the
    answer from before the change."""
    cache.delete(RESTRICTIONS_EXIST_KEY)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete(RESTRICTIONS_EXIST_KEY), robust=True)


def public_only(queryset):
    """`queryset.public()`: pages no view restriction hides, theirs or an ancestor's; without
    the restrictions query while no page is restricted anywhere."""
    return queryset.public() if view_restrictions_exist() else queryset


class CheapViewRestrictionsMixin:
    """For reader page types: no query for view restrictions while none exists anywhere."""

    def get_view_restrictions(self):
        if not view_restrictions_exist():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
