"""The `--url-map` CSV: which legacy URL each dump was published at, so old links keep working.

Two columns, separated by a comma (or a semicolon, as Excel saves them with Vietnamese
settings): the dump's path relative to the archive root (as stored in `legacy_id`; "\\"
accepted for maps made on Windows) and the legacy URL (absolute, or a path). A first row whose
URL cell is not a URL is taken as a header. The map is checked whole before anything is
imported: a dump listed twice, or two dumps claiming one URL, is an error, not a guess.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from wagtail.contrib.redirects.models import Redirect

from portal.text import without_control_characters

from .files import DUMP_SUFFIX

OLD_PATH_MAX_LENGTH = 255  # Redirect.old_path
MAX_REPORTED_ERRORS = 20


class UrlMapError(ValueError):
    """The map cannot be used; the message lists the offending lines."""


def _delimiter(line: str) -> str:
    """A comma; a semicolon in a line that has none, as Excel saves CSV where the decimal
    separator is the comma (Vietnamese settings)."""
    return ";" if "," not in line and ";" in line else ","


def _dump_key(raw: str) -> str:
    key = unicodedata.normalize("NFC", raw.strip()).replace("\\", "/")
    while key.startswith("./"):
        key = key[2:]
    return key.lstrip("/")


def _looks_like_url(cell: str) -> bool:
    cell = cell.strip()
    return cell.startswith("/") or "://" in cell


def _looks_like_header(row: list[str]) -> bool:
    """A first row of column names: no dump path ("….txt") and no URL. A row naming a dump is
    a mapping, whatever form its URL takes ("Pages/tin-tuc.aspx" is accepted on every row)."""
    return not row[0].strip().lower().endswith(DUMP_SUFFIX) and not _looks_like_url(row[1])


def load_url_map(path: Path) -> dict[str, str]:
    """legacy_id → normalised old path (as Wagtail's redirect middleware looks it up)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise UrlMapError(f"Không đọc được tệp url-map {path}: {error.strerror}.") from None
    except UnicodeDecodeError:
        raise UrlMapError(f"Tệp url-map {path} không phải văn bản UTF-8.") from None

    old_paths: dict[str, str] = {}
    claimed: dict[str, int] = {}  # old path → line that claimed it
    errors: list[str] = []
    # One line, one row: neither a dump path nor an address holds a line break, and a stray
    # quotation mark must not swallow the lines after it into one cell. A space after the
    # comma is common in maps typed by hand: `a.txt, "https://…"` is the quoted URL, not a
    # cell starting with a space and a quotation mark.
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            row = next(
                csv.reader([line], delimiter=_delimiter(line), strict=True, skipinitialspace=True),
                [],
            )
        except csv.Error:
            errors.append(f'dòng {number}: dấu ngoặc kép (") không đóng hoặc đặt sai chỗ.')
            continue
        if not any(cell.strip() for cell in row):
            continue
        if number == 1 and len(row) >= 2 and _looks_like_header(row):
            continue  # header
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            errors.append(f"dòng {number}: cần hai cột, đường dẫn tệp và địa chỉ cũ.")
            continue
        if any(without_control_characters(cell) != cell for cell in row[:2]):
            errors.append(f"dòng {number}: có ký tự điều khiển (tệp hỏng?).")
            continue
        try:
            old_path = Redirect.normalise_path(row[1])
        except ValueError:  # what urllib can't split ("http://[::1")
            errors.append(f"dòng {number}: “{row[1].strip()}” không phải một địa chỉ.")
            continue
        key = _dump_key(row[0])
        if old_path in ("", "/"):
            errors.append(f"dòng {number}: “{row[1]}” không phải địa chỉ một bài viết.")
        elif len(old_path) > OLD_PATH_MAX_LENGTH:
            errors.append(f"dòng {number}: địa chỉ cũ dài quá {OLD_PATH_MAX_LENGTH} ký tự.")
        elif key in old_paths:
            errors.append(f"dòng {number}: tệp “{key}” đã có địa chỉ ở dòng trước.")
        elif old_path in claimed:
            first = claimed[old_path]
            errors.append(f"dòng {number}: địa chỉ “{old_path}” đã dành cho tệp ở dòng {first}.")
        else:
            old_paths[key] = old_path
            claimed[old_path] = number
    if errors:
        shown = "\n  ".join(errors[:MAX_REPORTED_ERRORS])
        more = len(errors) - MAX_REPORTED_ERRORS
        tail = f"\n  … và {more} lỗi nữa." if more > 0 else ""
        raise UrlMapError(f"Tệp url-map {path} có {len(errors)} lỗi:\n  {shown}{tail}")
    return old_paths
