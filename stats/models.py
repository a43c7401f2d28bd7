from django.db import models
from wagtail.models import Page


class ViewCount(models.Model):
    """A page's flushed view count ("Lượt xem"). Kept beside the page, not on it, so counting
    never saves the page or adds a revision."""

    page = models.OneToOneField(
        Page,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="view_count",
        verbose_name="trang",
    )
    count = models.PositiveBigIntegerField("lượt xem", default=0)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "lượt xem"
        verbose_name_plural = "lượt xem"

    def __str__(self) -> str:
        return f"{self.page_id}: {self.count}"


class FlushedBatch(models.Model):
    """A batch of Redis counts already added to `ViewCount`, written in the same transaction.
    A flush that dies after its commit but before deleting the batch from Redis finds it here
    next time and does not add it twice."""

    batch_id = models.CharField("mã đợt", max_length=64, unique=True)
    flushed_at = models.DateTimeField("lúc ghi", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "đợt ghi lượt xem"
        verbose_name_plural = "đợt ghi lượt xem"

    def __str__(self) -> str:
        return self.batch_id
