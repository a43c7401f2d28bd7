"""manage.py setup_translator_role: the translators' group and its permissions; safe to re-run."""

from django.core.management.base import BaseCommand

from translations.roles import TRANSLATORS, ensure_translator_role


class Command(BaseCommand):
    help = (
        f"Tạo nhóm “{TRANSLATORS}”: dịch và xuất bản ở các ngôn ngữ khác, không sửa được bản "
        "tiếng Việt gốc. Chạy lại sau khi thêm ngôn ngữ; chạy nhiều lần không sao."
    )

    def handle(self, *args, **options) -> None:
        _, report = ensure_translator_role()
        for item in report.created:
            self.stdout.write(f"Đã tạo: {item}")
        homes = ", ".join(report.home_pages) or "chưa có ngôn ngữ nào ngoài tiếng Việt"
        self.stdout.write(f"Nhóm “{TRANSLATORS}” làm việc trên: {homes}.")
