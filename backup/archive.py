"""A backup is a timestamped folder: the database (pg_dump's custom format for PostgreSQL, a
copy made with SQLite's backup API for SQLite), a tar of the media and a manifest. Restoring
puts both back. The search index is not in it: `manage.py update_index` rebuilds it from the
database."""

import json
import shutil
import sqlite3
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.storage.filesystem import FileSystemStorage
from django.db import connection, connections
from django.utils import timezone

from .postgres_tools import BackupError, connection_arguments, find_bin_dir, run

MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_TAR = "media.tar.gz"


@dataclass
class Backup:
    folder: Path
    database: str
    media: bool


def media_on_local_disk() -> bool:
    return isinstance(default_storage, FileSystemStorage)


def create(parent: Path) -> Backup:
    folder = parent / timezone.now().strftime("%Y%m%d-%H%M%S")
    if folder.exists():
        raise BackupError(f"Thư mục sao lưu {folder} đã có; chờ một giây rồi chạy lại.")
    folder.mkdir(parents=True)
    try:
        database = dump_database(folder)
        media = archive_media(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # never leave a half-made backup
        raise
    manifest = {
        "created": timezone.now().isoformat(),
        "database": database,
        "media": media,
        "media_root": str(settings.MEDIA_ROOT),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return Backup(folder, database, media)


def dump_database(folder: Path) -> str:
    if connection.vendor == "postgresql":
        bin_dir = find_bin_dir()
        arguments, env = connection_arguments()
        options = ["--format=custom", "--no-owner", "--no-privileges", "--file"]
        run([str(bin_dir / "pg_dump"), *options, str(folder / POSTGRES_DUMP), *arguments], env)
        return "postgresql"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / SQLITE_COPY)
        try:
            # A consistent copy even while the portal writes (SQLite's online backup).
            connection.connection.backup(target)
        finally:
            target.close()
        return "sqlite"
    raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")


def archive_media(folder: Path) -> bool:
    """False when media live on object storage: the bucket's versioning keeps them."""
    if not media_on_local_disk():
        return False
    root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA_TAR, "w:gz") as tar:
        if root.exists():
            for child in sorted(root.iterdir()):
                tar.add(child, arcname=child.name)
    return True


def read(folder: Path) -> Backup:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} không phải một bản sao lưu (thiếu {MANIFEST}).") from exc
    return Backup(folder, manifest["database"], manifest["media"])


def restore(folder: Path) -> Backup:
    backup = read(folder)
    if backup.database != connection.vendor:
        raise BackupError(
            f"Bản sao lưu là của {backup.database}, cơ sở dữ liệu hiện tại là {connection.vendor}."
        )
    restore_database(backup)
    if backup.media and media_on_local_disk():
        restore_media(backup)
    return backup


def restore_database(backup: Backup) -> None:
    if backup.database == "postgresql":
        bin_dir = find_bin_dir()
        arguments, env = connection_arguments()
        # This process's connections would hold locks the DROPs wait for.
        connections.close_all()
        options = ["--clean", "--if-exists", "--no-owner", "--no-privileges"]
        options += ["--single-transaction", "--exit-on-error"]
        run(
            [str(bin_dir / "pg_restore"), *options, *arguments, str(backup.folder / POSTGRES_DUMP)],
            env,
        )
        return
    connection.ensure_connection()
    source = sqlite3.connect(backup.folder / SQLITE_COPY)
    try:
        # Page by page into the live database, in one go: readers never see half of it.
        source.backup(connection.connection)
    finally:
        source.close()


def restore_media(backup: Backup) -> None:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
    with tarfile.open(backup.folder / MEDIA_TAR, "r:gz") as tar:
        tar.extractall(root, filter="data")  # no absolute paths, links out or devices
