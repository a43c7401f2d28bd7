"""Finding legacy dumps on disk and reading one safely. No Django: runs in worker processes.

A dump is identified by its path relative to the archive root given on the command line, in
POSIX form ("2023/03/000_9789bc459949ae23.txt"): that is the `legacy_id` stored on the page,
so the same archive imported again, from any machine or OS, finds the same pages.
"""

from __future__ import annotations

import codecs
import os
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from .parser import LegacyParseError

# A bulletin is a few kilobytes of text; the largest seen in real archives is under 200 KB.
# Anything past this is a mis-export (a log, a database dump) and is refused unread.
MAX_DUMP_BYTES = 2 * 1024 * 1024
DUMP_SUFFIX = ".txt"


class UnreadableDumpError(LegacyParseError):
    """The file is not a text dump at all: too large, binary, or not UTF-8."""


class DumpJob(NamedTuple):
    """One file to import; small and picklable, so it can be sent to a worker process."""

    path: str
    legacy_id: str


def _walk(folder: Path) -> Iterator[Path]:
    """*.txt files under folder, depth first, sorted by name, one directory listed at a time.
    A folder that cannot be listed (no permission) is yielded itself: read_dump reports it,
    and the rest of the archive is imported."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        yield folder
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue  # .git, .DS_Store, editors' swap files
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.is_file() and entry.name.lower().endswith(DUMP_SUFFIX):
            yield Path(entry.path)


def storable(path: str) -> str:
    """The path as text a database stores. A name that is not UTF-8 (from a Windows archive,
    in Windows-1258 or CP437) comes to Python with its stray bytes as lone surrogates, which no
    database takes: those bytes are written "\\xNN", the same every time, so the file is
    imported and found again by the next run."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def legacy_id_of(relative: str) -> str:
    """The identity of a dump at this relative path: storable, and NFC, as the parser makes
    the text. A Vietnamese name is spelled decomposed (NFD) by macOS and by archives made
    there, precomposed elsewhere: both spellings name the same dump."""
    return unicodedata.normalize("NFC", storable(relative))


def find_dumps(paths: Iterable[Path], root: Path | None = None) -> Iterator[DumpJob]:
    """Lazily, every dump named on the command line: files as given, folders recursively.

    Each dump's identity is its path relative to the folder given, or to `root` when one is
    (`--root`): then one dump named on its own ("kho/2023/03/a.txt", a corrected file
    imported again) is the same dump as when its archive was imported whole ("2023/03/a.txt"),
    not a new one named "a.txt". Every path must then lie inside `root` (see `outside_root`).

    The order is stable (sorted names), so two runs, with any number of workers, create the
    pages in the same order and the page tree comes out the same.
    """
    for given in paths:
        if given.is_dir():
            base = root if root is not None else given
            for path in _walk(given):
                yield DumpJob(str(path), legacy_id_of(_relative(path, base)))
        else:
            name = _relative(given, root) if root is not None else given.name
            yield DumpJob(str(given), legacy_id_of(name))


def _relative(path: Path, base: Path) -> str:
    # Absolute, not resolved: a symbolic link inside the archive keeps the name it has there.
    return Path(os.path.abspath(path)).relative_to(os.path.abspath(base)).as_posix()


def outside_root(paths: Iterable[Path], root: Path) -> list[Path]:
    """The paths that do not lie inside `root` (which then gives them no identity)."""
    base = Path(os.path.abspath(root))
    return [path for path in paths if not Path(os.path.abspath(path)).is_relative_to(base)]


def count_dumps(paths: Iterable[Path]) -> int:
    """How many dumps find_dumps will yield (for the progress bar); reads no file."""
    return sum(1 for _ in find_dumps(paths))


def read_dump(path: str | Path) -> str:
    """The text of a dump, or UnreadableDumpError. Never reads more than MAX_DUMP_BYTES."""
    limit_mb = MAX_DUMP_BYTES / (1024 * 1024)
    too_large = f"tệp quá lớn (giới hạn {limit_mb:g} MB): không phải một bản tin."
    if os.path.isdir(path):  # a folder of the archive that could not be listed (see _walk)
        try:
            os.scandir(path).close()
        except OSError as error:
            raise UnreadableDumpError(
                None,
                f"không đọc được thư mục ({error.strerror}): các tệp trong đó chưa được nhập.",
            ) from None
    if os.stat(path).st_size > MAX_DUMP_BYTES:
        raise UnreadableDumpError(None, too_large)
    with open(path, "rb") as file:
        data = file.read(MAX_DUMP_BYTES + 1)  # bounded, even if the file grew meanwhile
    if len(data) > MAX_DUMP_BYTES:
        raise UnreadableDumpError(None, too_large)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableDumpError(1, "tệp mã hoá UTF-16; hãy xuất lại dưới dạng UTF-8.")
    if (nul := data.find(b"\x00")) >= 0:
        raise UnreadableDumpError(
            data.count(b"\n", 0, nul) + 1, "tệp nhị phân (chứa byte NUL), không phải văn bản."
        )
    # Without its BOM, so that the decoder's positions are positions in `data`'s text.
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableDumpError(
            data.count(b"\n", 0, error.start) + 1,
            f"tệp không phải văn bản UTF-8 (byte 0x{data[error.start]:02x} không hợp lệ): "
            "tệp nhị phân, hoặc mã hoá cũ như Windows-1258/TCVN3 cần chuyển sang UTF-8.",
        ) from None
