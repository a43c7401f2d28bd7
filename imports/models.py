from django.db import models
from django.utils import timezone


class ImportRun(models.Model):
    """One `import_publishingportal --async`: an archive split into chunks of files, each chunk
    a Celery task. Its files and their results are `ImportFileResult` rows."""

    category = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name="chuyên mục"
    )
    roots = models.JSONField("thư mục, tệp được nhập", default=list)
    old_paths = models.JSONField("địa chỉ cũ theo tệp", default=dict, blank=True)
    chunk_size = models.PositiveIntegerField("số tệp mỗi khối")
    overwrite_edited = models.BooleanField(
        "cập nhật cả trang biên tập viên đã sửa và xuất bản", default=False
    )
    chunks = models.PositiveIntegerField("số khối", default=0)
    total = models.PositiveIntegerField("số tệp", default=0)
    started_at = models.DateTimeField("bắt đầu", default=timezone.now)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "lần nhập kho cũ"
        verbose_name_plural = "các lần nhập kho cũ"

    def __str__(self) -> str:
        return f"Lần nhập {self.pk} ({self.total} tệp)"


class ImportFileResult(models.Model):
    """One file of a run: waiting, or what became of it (and why, when it failed)."""

    class Status(models.TextChoices):
        PENDING = "pending", "đang chờ"
        IMPORTED = "imported", "đã nhập"
        UPDATED = "updated", "đã cập nhật"
        UNCHANGED = "unchanged", "không đổi"
        FAILED = "failed", "lỗi"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="files")
    chunk = models.PositiveIntegerField("khối")
    legacy_id = models.CharField("mã tệp cũ", max_length=500)
    path = models.TextField("đường dẫn")
    status = models.CharField(
        "kết quả", max_length=16, choices=Status.choices, default=Status.PENDING
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bản tin",
    )
    reason = models.TextField("lý do lỗi", blank=True)
    attempts = models.PositiveIntegerField("số lần thử", default=0)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        ordering = ["run", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "legacy_id"], name="one_result_per_file")
        ]
        indexes = [
            models.Index(fields=["run", "chunk", "status"], name="import_result_chunk"),
            models.Index(fields=["run", "status"], name="import_result_status"),
        ]
        verbose_name = "kết quả nhập tệp"
        verbose_name_plural = "kết quả nhập tệp"

    def __str__(self) -> str:
        return f"{self.legacy_id}: {self.get_status_display()}"
