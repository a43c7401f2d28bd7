"""A backup is a timestamped folder: the database (pg_dump's custom format for PostgreSQL, a
copy made with SQLite's backup API for SQLite), a tar of the media and a manifest. Restoring
puts both back. The search index is not in it: `manage.py update_index` rebuilds it from the
database."""

import json
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
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
    if (
        not isinstance(manifest, dict)
        or manifest.get("database") not in {"postgresql", "sqlite"}
        or not isinstance(manifest.get("media"), bool)
    ):
        raise BackupError(f"Tệp {MANIFEST} của {folder} bị hỏng: không rõ cơ sở dữ liệu và media.")
    return Backup(folder, manifest["database"], manifest["media"])


def restore(folder: Path) -> Backup:
    backup = read(folder)
    if backup.database != connection.vendor:
        raise BackupError(
            f"Bản sao lưu là của {backup.database}, cơ sở dữ liệu hiện tại là {connection.vendor}."
        )
    media = backup.media and media_on_local_disk()
    if backup.database == "sqlite":
        check_sqlite_copy(backup)
    staged = stage_media(backup) if media else None  # a bad archive stops here, nothing changed
    try:
        restore_database(backup)
        if staged is not None:
            restore_media(staged)
    finally:
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
    return backup


def check_sqlite_copy(backup: Backup) -> None:
    """The copy must exist and be a whole SQLite database of the portal: sqlite3.connect would
    otherwise create an empty one, and restoring that empties the portal."""
    path = backup.folder / SQLITE_COPY
    if not path.is_file():
        raise BackupError(f"Bản sao lưu {backup.folder} thiếu tệp cơ sở dữ liệu {SQLITE_COPY}.")
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            (result,) = source.execute("PRAGMA quick_check").fetchone()
            tables = source.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise BackupError(f"Tệp {SQLITE_COPY} của bản sao lưu bị hỏng: {exc}") from exc
    if result != "ok" or tables is None:
        raise BackupError(f"Tệp {SQLITE_COPY} của bản sao lưu bị hỏng hoặc không phải của cổng.")


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
    copy = (backup.folder / SQLITE_COPY).resolve()
    source = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    try:
        # Page by page into the live database, in one go: readers never see half of it.
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"Không khôi phục được {SQLITE_COPY}: {exc}") from exc
    finally:
        source.close()


def stage_media(backup: Backup) -> Path:
    """The media archive unpacked beside MEDIA_ROOT: an archive that is missing or damaged is
    refused before anything is replaced."""
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".khoi-phuc-media-", dir=root.parent))
    try:
        with tarfile.open(backup.folder / MEDIA_TAR, "r:gz") as tar:
            tar.extractall(staged, filter="data")  # no absolute paths, links out or devices
    except (OSError, EOFError, tarfile.TarError, zlib.error) as exc:
        shutil.rmtree(staged, ignore_errors=True)
        raise BackupError(f"Tệp {MEDIA_TAR} của bản sao lưu bị hỏng hoặc thiếu: {exc}") from exc
    return staged


def restore_media(staged: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
    for child in staged.iterdir():
        shutil.move(str(child), str(root / child.name))
