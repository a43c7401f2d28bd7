"""manage.py backup [--output DIR]: the database and the media into DIR/<timestamp>/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backup import archive
from backup.postgres_tools import BackupError


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp media vào một thư mục mới, đặt tên theo thời điểm."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BACKUP_DIR),
            help="thư mục chứa các bản sao lưu (mặc định BACKUP_DIR)",
        )

    def handle(self, *args, output: Path, **options):
        try:
            backup = archive.create(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = "tệp media" if backup.media else "không có tệp media (lưu trên kho đối tượng)"
        self.stdout.write(
            self.style.SUCCESS(f"Đã sao lưu {backup.database} và {media} vào {backup.folder}")
        )
        self.stdout.write("Chỉ mục tìm kiếm không cần sao lưu: manage.py update_index dựng lại.")
