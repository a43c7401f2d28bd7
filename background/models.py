from django.db import models
from django.utils import timezone


class PendingTask(models.Model):
    """A background job that Redis could not take when it was queued (Redis stopped or
    unreachable). It waits here, committed with the editor's work, until `background.outbox`
    sends it: every minute from beat, and on the next job that Redis takes again."""

    task_id = models.CharField("mã việc", max_length=64, unique=True)
    task_path = models.CharField("việc", max_length=255)
    args = models.JSONField("tham số", default=list, blank=True)
    kwargs = models.JSONField("tham số có tên", default=dict, blank=True)
    queue_name = models.CharField("hàng đợi", max_length=100, default="default")
    priority = models.IntegerField("độ ưu tiên", default=0)
    run_after = models.DateTimeField("chạy sau", null=True, blank=True)
    created_at = models.DateTimeField("lúc giữ lại", default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField("số lần gửi lại không được", default=0)
    last_error = models.TextField("lỗi gần nhất", blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "việc nền chờ gửi"
        verbose_name_plural = "việc nền chờ gửi"

    def __str__(self) -> str:
        return f"{self.task_path} ({self.task_id})"


class MissedIndexUpdate(models.Model):
    """An object whose search index update failed because the search engine did not answer.
    Wagtail's search (modelsearch) logs such failures and carries on, so that publishing never
    fails on the engine; `background.index_catch_up` redoes them once it answers again."""

    app_label = models.CharField("ứng dụng", max_length=100)
    model_name = models.CharField("kiểu", max_length=100)
    object_pk = models.CharField("mã đối tượng", max_length=64)
    removed = models.BooleanField("xóa khỏi chỉ mục", default=False)
    missed_at = models.DateTimeField("lúc lỗi", default=timezone.now)

    class Meta:
        ordering = ["missed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["app_label", "model_name", "object_pk"], name="one_missed_update_each"
            )
        ]
        verbose_name = "cập nhật chỉ mục tìm kiếm bị lỡ"
        verbose_name_plural = "cập nhật chỉ mục tìm kiếm bị lỡ"

    def __str__(self) -> str:
        return f"{self.app_label}.{self.model_name} {self.object_pk}"
