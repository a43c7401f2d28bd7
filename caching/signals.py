"""When pages change, forget them: the page cache of their sites at once (caching.generations)
and, when a frontend cache is configured, the CDN's copies after the commit (caching.purge).

Wagtail's own frontend-cache signal handlers are not used (`wagtail.contrib.frontend_cache` is
not in INSTALLED_APPS): they purge the page alone, not its categories, home page and feeds.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.models import PortalSettings

from .generations import forget_every_site, forget_pages_of_sites, sites_showing
from .purge import (
    frontend_cache_configured,
    purge_after_commit,
    urls_to_purge,
    urls_to_purge_after_move,
    urls_to_purge_with_descendants,
)


def page_changed(sender, instance, **kwargs) -> None:
    """Published or unpublished (expiry, and each live page of a deleted subtree, which
    Wagtail unpublishes before deleting)."""
    forget_pages_of_sites(sites_showing(instance.url_path))
    if frontend_cache_configured():
        purge_after_commit(urls_to_purge(instance))


def live_page_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """A live page saved in full, outside publishing (a script, the importer, a test's factory):
    readers may see the change, and routing keeps pages under the token (portal.routing).
    Wagtail saves a draft with `update_fields`, which changes nothing readers see."""
    if update_fields is None and isinstance(instance, Page) and instance.live:
        forget_pages_of_sites(sites_showing(instance.url_path))


def page_moved(sender, instance, url_path_before, url_path_after, parent_page_before, **kwargs):
    forget_pages_of_sites(sites_showing(url_path_before, url_path_after))
    if frontend_cache_configured():
        purge_after_commit(urls_to_purge_after_move(instance, url_path_before, parent_page_before))


def page_deleted(sender, instance, **kwargs) -> None:
    # Draft pages too: cheap, and a deleted subtree may hold a site's root.
    forget_pages_of_sites(sites_showing(instance.url_path))


def restriction_changed(sender, instance, **kwargs) -> None:
    """A page made private or public again: its cached copies and its descendants' were
    stored for whoever asked, and must not outlive the change (Wagtail publishes nothing).
    Also on the CDN: its copies of the pages, and of the listings and feeds that showed them."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page's own deletion took its restriction with it
        return
    forget_pages_of_sites(sites_showing(page.url_path))
    if frontend_cache_configured():
        # The CDN's copies were public: a page made private must not stay readable there.
        purge_after_commit(urls_to_purge_with_descendants(page))


def every_page_changed(sender, **kwargs) -> None:
    """A site or its settings (header, footer): every cached page may show them."""
    forget_every_site()


def settings_changed(sender, created=False, **kwargs) -> None:
    # Wagtail creates a site's settings row, with empty values, the first time a page reads
    # it: nothing shown changes then.
    if not created:
        forget_every_site()


def media_changed(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """An image or a document edited (a new file: Wagtail deletes the old one and its
    renditions) or deleted: the cached pages that show it would link to files that are gone.
    Which pages show it is not known here, so every site's pages are forgotten; an upload
    (created) and Wagtail's own bookkeeping saves (update_fields: file size, hash) change
    nothing a page shows."""
    if not created and update_fields is None:
        forget_every_site()


def connect() -> None:
    for signal in (page_published, page_unpublished):
        signal.connect(page_changed, dispatch_uid=f"caching-page-changed-{signal}")
    post_save.connect(live_page_saved, dispatch_uid="caching-live-page-saved")
    post_page_move.connect(page_moved, dispatch_uid="caching-page-moved")
    post_delete.connect(page_deleted, sender=Page, dispatch_uid="caching-page-deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"caching-restriction-{signal}",
        )
    for signal in (post_save, post_delete):
        signal.connect(every_page_changed, sender=Site, dispatch_uid=f"caching-site-{signal}")
    post_save.connect(settings_changed, sender=PortalSettings, dispatch_uid="caching-settings")
    post_delete.connect(
        every_page_changed, sender=PortalSettings, dispatch_uid="caching-settings-deleted"
    )
    for model in (get_image_model(), get_document_model()):
        for signal in (post_save, post_delete):
            signal.connect(
                media_changed,
                sender=model,
                dispatch_uid=f"caching-media-{model._meta.label_lower}-{signal}",
            )
