"""Helpers for tests of translated content: locales and wagtail-localize translations."""

from django.test import TestCase
from wagtail.models import Locale, Page
from wagtail_localize.operations import translate_object


def locale(code: str) -> Locale:
    return Locale.objects.get_or_create(language_code=code)[0]


def translated(page: Page, code: str = "en") -> Page:
    """`page` translated into `code` (published when the original is, its text still the
    original's), with every ancestor below Wagtail's root translated first, as
    wagtail-localize needs."""
    target = locale(code)
    for ancestor in [*page.get_ancestors().filter(depth__gt=1), page]:
        if not ancestor.has_translation(target):
            # wagtail-localize publishes when the transaction commits; tests never commit.
            with TestCase.captureOnCommitCallbacks(execute=True):
                translate_object(ancestor.specific, [target])
    return page.get_translation(target).specific
