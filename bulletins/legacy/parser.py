"""Reading one legacy PublishingPortal text dump into a typed record. Pure: text in, record out.

The layout, one bulletin per file::

    PublishingPortal - Block_BanTin_Toolbar      ← marker of the toolbar web part

    21/03/2023                                   ← date, dd/mm/yyyy (d/m/yyyy accepted)
    Tăng cỡ chữ Giảm cỡ chữ                      ← the toolbar's buttons, dropped
    Thực hiện các nhiệm vụ trọng tâm …           ← title: the first line after the date
    Ngày 20/3/2023, UBND tỉnh ban hành …         ← lead (sapo): the rest of the toolbar part

     PublishingPortal - Block_BanTin_ViewData    ← marker of the view-data web part

    First paragraph …                            ← paragraphs, separated by blank lines

    Last paragraph …/.

    Minh Huyền                                   ← author's signature, the last line

What is tolerated: a UTF-8 BOM, Windows or old Mac line endings, decomposed Unicode (the
record is NFC), any run of spaces (NO-BREAK SPACE included) around and inside lines, which
becomes one ordinary space, zero-width characters, control characters (a word processor's soft
line break, a stray escape code or NUL: read as spaces), extra blank lines, a missing lead and a
missing author. Everything else raises `LegacyParseError` with a line number and a reason.

The two rules that need judgement:

* **Lead or first paragraph.** The lead is everything between the title and the ViewData
  marker, joined into one text; it may be empty. The first paragraph after the marker is never
  promoted to lead: in the legacy page the sapo is printed above the body, and the dump keeps
  that order, so position is the only reliable signal.
* **Author or short last paragraph.** The last non-empty line of the ViewData part is the
  author's signature when it `looks_like_signature`: at most 60 characters and 8 words, starts
  with a capital letter (or "("), contains no digit and does not end in sentence punctuation
  (".", "./.", "...", "…", "!", "?", ":", ";", ","). Vietnamese news paragraphs end with a full
  stop or "./."; a signature is a bare name ("Minh Huyền", "Nguyễn Thị Hạnh - Sở Y tế"). The
  line is a signature only if at least one paragraph remains above it.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from portal.text import without_control_characters

TOOLBAR_MARKER = "PublishingPortal - Block_BanTin_Toolbar"
VIEWDATA_MARKER = "PublishingPortal - Block_BanTin_ViewData"

# Legacy dates before the first web portals, or absurdly far ahead, are typing mistakes.
FIRST_YEAR = 1990
LAST_YEAR = 2100

SIGNATURE_MAX_CHARS = 60
SIGNATURE_MAX_WORDS = 8

_MARKER = re.compile(r"PublishingPortal\s*-\s*Block_BanTin_(Toolbar|ViewData)", re.IGNORECASE)
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# A toolbar line made only of button labels: "Tăng cỡ chữ Giảm cỡ chữ", "In bài | Chia sẻ".
_BUTTONS = re.compile(r"(?:(?:tăng|giảm)\s+cỡ\s+chữ|in\s+bài|chia\s+sẻ|[\s/|·•-])+", re.IGNORECASE)
_SENTENCE_END = (".", "…", "!", "?", ":", ";", ",")
# Invisible characters that word processors and SharePoint leave behind.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


class LegacyParseError(ValueError):
    """A dump that cannot be read as a bulletin: where (1-based line, or None) and why."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(f"dòng {line}: {reason}" if line else reason)
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class LegacyBulletin:
    """One bulletin as the legacy portal showed it; every text is NFC with single spaces."""

    date: datetime.date
    title: str
    lead: str
    paragraphs: tuple[str, ...]
    author: str


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


def normalise_lines(text: str) -> list[_Line]:
    """Numbered lines, NFC, without BOM, invisible or control characters (read as spaces),
    whitespace runs collapsed."""
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    text = without_control_characters(text)
    # str.split() with no argument splits on every Unicode space, NO-BREAK SPACE included.
    return [_Line(n, " ".join(raw.split())) for n, raw in enumerate(text.split("\n"), start=1)]


def _marker(line: _Line) -> str | None:
    match = _MARKER.fullmatch(line.text)
    return match.group(1).lower() if match else None


def looks_like_signature(text: str) -> bool:
    """Whether a last line reads as an author's signature (see the module docstring)."""
    return (
        0 < len(text) <= SIGNATURE_MAX_CHARS
        and len(text.split()) <= SIGNATURE_MAX_WORDS
        and (text[0].isupper() or text[0] == "(")
        and not any(char.isdigit() for char in text)
        and not text.endswith(_SENTENCE_END)
    )


def parse_date(line: _Line) -> datetime.date:
    match = _DATE.fullmatch(line.text)
    if not match:
        raise LegacyParseError(
            line.number, f"ngày đăng “{line.text}” không đúng định dạng dd/mm/yyyy."
        )
    day, month, year = (int(part) for part in match.groups())
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        raise LegacyParseError(
            line.number, f"ngày đăng “{line.text}” không có thật trên lịch."
        ) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise LegacyParseError(
            line.number,
            f"năm {year} của ngày đăng nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}.",
        )
    return date


def _find_markers(lines: list[_Line]) -> tuple[int, int]:
    """Indexes of the toolbar and view-data markers; each exactly once, in that order."""
    content = [(index, line) for index, line in enumerate(lines) if line.text]
    if not content:
        raise LegacyParseError(None, "tệp rỗng, không có bản tin nào.")
    first_index, first = content[0]
    if _marker(first) != "toolbar":
        raise LegacyParseError(
            first.number,
            f"dòng đầu tiên phải là dấu mốc “{TOOLBAR_MARKER}”, nhưng là “{first.text[:60]}”.",
        )
    view_data = None
    for index, line in content[1:]:
        kind = _marker(line)
        if kind == "toolbar" or (kind == "viewdata" and view_data is not None):
            raise LegacyParseError(
                line.number, "dấu mốc lặp lại: mỗi tệp chỉ được chứa một bản tin."
            )
        if kind == "viewdata":
            view_data = index
    if view_data is None:
        raise LegacyParseError(
            lines[-1].number, f"không tìm thấy dấu mốc “{VIEWDATA_MARKER}” (phần nội dung)."
        )
    return first_index, view_data


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Runs of non-empty lines separated by blank lines, each run joined into one paragraph."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.text:
            current.append(line.text)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def parse_dump(text: str) -> LegacyBulletin:
    """The bulletin in a legacy dump; raises LegacyParseError when the layout is not there."""
    lines = normalise_lines(text)
    toolbar_at, view_data_at = _find_markers(lines)
    marker_line = lines[view_data_at].number

    toolbar = [
        line
        for line in lines[toolbar_at + 1 : view_data_at]
        if line.text and not _BUTTONS.fullmatch(line.text)
    ]
    if not toolbar:
        raise LegacyParseError(marker_line, "phần Block_BanTin_Toolbar thiếu ngày đăng.")
    date = parse_date(toolbar[0])
    if len(toolbar) < 2:
        raise LegacyParseError(marker_line, "phần Block_BanTin_Toolbar thiếu tiêu đề bản tin.")
    title = toolbar[1].text
    lead = " ".join(line.text for line in toolbar[2:])

    body = lines[view_data_at + 1 :]
    filled = [line for line in body if line.text]
    author = ""
    if len(filled) >= 2 and looks_like_signature(filled[-1].text):
        author = filled[-1].text
        body = [line for line in body if line.number != filled[-1].number]
    paragraphs = _paragraphs(body)
    if not paragraphs:
        raise LegacyParseError(
            marker_line, "phần Block_BanTin_ViewData không có đoạn nội dung nào."
        )
    return LegacyBulletin(
        date=date, title=title, lead=lead, paragraphs=tuple(paragraphs), author=author
    )
