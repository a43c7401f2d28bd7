"""Keep what is derived from the page tree (a bulletin's category, each category's cached
count and archive months) in step with what editors publish, move and delete."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import post_page_move

from .listing import forget_category_archive


def follow_move(sender, instance, parent_page_before, parent_page_after, **kwargs) -> None:
    from .models import BulletinPage

    if BulletinPage.objects.filter(pk=instance.pk).update(category_id=parent_page_after.pk):
        forget_category_archive(parent_page_before.pk, parent_page_after.pk)


def forget_archive_of_bulletin(sender, instance, **kwargs) -> None:
    forget_category_archive(getattr(instance, "category_id", None))


def forget_archive_of_restricted_bulletin(sender, instance, **kwargs) -> None:
    """A bulletin made private, or public again, leaves or rejoins its category's count."""
    from .models import BulletinPage

    bulletins = BulletinPage.objects.filter(pk=instance.page_id)
    forget_category_archive(bulletins.values_list("category_id", flat=True).first())


def connect() -> None:
    from .models import BulletinPage

    post_page_move.connect(follow_move, dispatch_uid="bulletins-follow-move")
    # Any save: publishing, unpublishing, expiry and importers that write pages directly.
    for signal in (post_save, post_delete):
        signal.connect(
            forget_archive_of_bulletin,
            sender=BulletinPage,
            dispatch_uid=f"bulletins-archive-{signal}",
        )
    for signal in (post_save, post_delete):
        signal.connect(
            forget_archive_of_restricted_bulletin,
            sender=PageViewRestriction,
            dispatch_uid=f"bulletins-archive-restriction-{signal}",
        )
