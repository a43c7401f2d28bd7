"""manage.py setup_editorial_workflow: the groups and the approval workflow; safe to re-run."""

from django.core.management.base import BaseCommand

from editorial.workflow import APPROVERS, EDITORS, ensure_editorial_workflow


class Command(BaseCommand):
    help = (
        f"Tạo nhóm “{EDITORS}”, “{APPROVERS}” và quy trình duyệt bài; "
        "chạy lại nhiều lần không sao (chỉ thêm phần còn thiếu)."
    )

    def handle(self, *args, **options) -> None:
        workflow, report = ensure_editorial_workflow()
        for item in report.created:
            self.stdout.write(f"Đã tạo: {item}")
        if report.created:
            self.stdout.write(self.style.SUCCESS(f"Quy trình “{workflow.name}” đã sẵn sàng."))
        else:
            self.stdout.write(f"Không có gì thay đổi: quy trình “{workflow.name}” đã có đủ.")
