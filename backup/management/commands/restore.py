"""manage.py restore FOLDER [--no-input]: put a backup's database and media back."""

from pathlib import Path

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from backup import archive
from backup.postgres_tools import BackupError


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và tệp media từ một bản sao lưu (ghi đè dữ liệu hiện tại). "
        "Dừng web và worker trước khi chạy."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="thư mục của bản sao lưu")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="không hỏi xác nhận"
        )

    def handle(self, *args, folder: Path, interactive: bool, **options):
        if interactive:
            answer = input(
                f"Mọi dữ liệu hiện tại sẽ bị thay bằng bản sao lưu {folder}. Gõ 'co' để tiếp tục: "
            )
            if answer.strip().lower() not in {"co", "có"}:
                raise CommandError("Đã hủy, không thay đổi gì.")
        try:
            backup = archive.restore(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # Menus, settings and sites are cached from the data just replaced.
        cache.clear()
        self.stdout.write(self.style.SUCCESS(f"Đã khôi phục {backup.database} từ {folder}"))
        self.stdout.write("Dựng lại chỉ mục tìm kiếm: manage.py update_index")
