"""Keep the cached locales and page languages in step with what administrators and editors
change."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale, Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .locales import forget_locales
from .switcher import forget_page_languages


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(forget_locales, sender=Locale, dispatch_uid=f"forget-locales-{signal}")
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(forget_page_languages, dispatch_uid=f"forget-page-languages-{signal}")
    post_delete.connect(
        forget_page_languages, sender=Page, dispatch_uid="forget-page-languages-delete"
    )
