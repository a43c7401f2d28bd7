"""Keep the cached sites, menus, per-site settings and the view-restrictions flag in step with
what editors change."""

from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from portal.sites import forget_sites
from portal.view_restrictions import forget_whether_restrictions_exist

from .menus import clear_menu_cache
from .models import PortalSettings


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(clear_menu_cache, dispatch_uid=f"clear-menu-{signal}")
    post_delete.connect(clear_menu_cache, sender=Page, dispatch_uid="clear-menu-delete")
    for signal in (post_save, post_delete):
        signal.connect(forget_sites, sender=Site, dispatch_uid=f"forget-sites-{signal}")
        # A site given another root page (or hostname) has another menu.
        signal.connect(clear_menu_cache, sender=Site, dispatch_uid=f"clear-menu-site-{signal}")
    for signal in (post_save, post_delete):
        signal.connect(
            forget_whether_restrictions_exist,
            sender=PageViewRestriction,
            dispatch_uid=f"forget-view-restrictions-{signal}",
        )
    post_save.connect(
        PortalSettings.clear_cache_on_save, sender=PortalSettings, dispatch_uid="portal-settings"
    )
    post_delete.connect(
        PortalSettings.clear_cache_on_image_delete,
        sender=get_image_model(),
        dispatch_uid="portal-settings-image-deleted",
    )
