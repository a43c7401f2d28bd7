"""From a dump on disk to a record ready to write: read, parse, validate, derive. No Django, no
database: this is the CPU-bound part that worker processes run in parallel."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from .documents import CitedDocumentRef, cited_documents
from .files import DumpJob, read_dump
from .parser import LegacyBulletin, LegacyParseError, parse_dump

# Part of every checksum: bump it when parsing or mapping rules change, so that the next import
# rewrites the pages made under the old rules instead of reporting them unchanged.
RECORD_VERSION = 1
TITLE_MAX_LENGTH = 255  # Page.title
LEGACY_ID_MAX_LENGTH = 255  # BulletinPage.legacy_id
AUTHOR_MAX_LENGTH = 255  # BulletinPage.author
DOCUMENT_NUMBER_MAX_LENGTH = 100  # CitedDocument.number
ELLIPSIS = "…"


@dataclass(frozen=True)
class PreparedBulletin:
    """A parsed dump and what the page is made of."""

    legacy_id: str
    record: LegacyBulletin
    title: str  # the page title, at most TITLE_MAX_LENGTH characters
    full_title: str  # the original title when `title` had to be shortened, else ""
    documents: tuple[CitedDocumentRef, ...]
    checksum: str


@dataclass(frozen=True)
class RejectedDump:
    """A dump that cannot be imported, and why."""

    legacy_id: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.legacy_id}:{self.line}" if self.line else self.legacy_id
        return f"{where}: {self.reason}"


def shorten_title(title: str, limit: int = TITLE_MAX_LENGTH) -> str:
    """The title cut at a word boundary to fit `limit` characters, ending with "…"."""
    if len(title) <= limit:
        return title
    room = limit - len(ELLIPSIS)
    head = title[: room + 1]  # one character more tells whether the last word is complete
    # Drop the last, possibly cut, word; a title that is one enormous word is cut inside it.
    head = head[: head.rindex(" ")] if " " in head else head[:room]
    return head.rstrip(" ,;:-–") + ELLIPSIS


def record_checksum(record: LegacyBulletin) -> str:
    """sha256 of the normalised record: equal checksums mean nothing to import again."""
    canonical = json.dumps(
        {
            "version": RECORD_VERSION,
            "date": record.date.isoformat(),
            "title": record.title,
            "lead": record.lead,
            "paragraphs": list(record.paragraphs),
            "author": record.author,
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def prepare_text(text: str, legacy_id: str) -> PreparedBulletin:
    """Parse and validate one dump's text; raises LegacyParseError."""
    if len(legacy_id) > LEGACY_ID_MAX_LENGTH:
        raise LegacyParseError(
            None, f"đường dẫn tệp dài quá {LEGACY_ID_MAX_LENGTH} ký tự, không lưu được làm mã."
        )
    record = parse_dump(text)
    if len(record.author) > AUTHOR_MAX_LENGTH:  # the signature rule keeps it far shorter
        raise LegacyParseError(None, f"tên tác giả dài quá {AUTHOR_MAX_LENGTH} ký tự.")
    title = shorten_title(record.title)
    documents = tuple(
        document
        for document in cited_documents((record.title, record.lead, *record.paragraphs))
        if len(document.number) <= DOCUMENT_NUMBER_MAX_LENGTH
    )
    return PreparedBulletin(
        legacy_id=legacy_id,
        record=record,
        title=title,
        full_title=record.title if title != record.title else "",
        documents=documents,
        checksum=record_checksum(record),
    )


def prepare_job(job: DumpJob) -> PreparedBulletin | RejectedDump:
    """Read and prepare one dump; every problem becomes a RejectedDump, so the run goes on."""
    try:
        return prepare_text(read_dump(job.path), job.legacy_id)
    except LegacyParseError as error:
        return RejectedDump(job.legacy_id, error.line, error.reason)
    except OSError as error:
        return RejectedDump(job.legacy_id, None, f"không đọc được tệp ({error.strerror}).")
    except Exception as error:  # a bug here must cost one file, not the whole archive
        return RejectedDump(job.legacy_id, None, f"lỗi không mong đợi khi phân tích: {error!r}")
