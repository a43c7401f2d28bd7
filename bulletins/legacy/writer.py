"""Writing prepared bulletins as live, published pages. The only part of the importer that
touches the database; it runs in one process (see bulletins.legacy.importer for why).

Transactions: a batch is one transaction; each bulletin inside it is its own
`transaction.atomic()` (a savepoint), so a bulletin that fails leaves nothing behind and the
batch goes on; a crash loses at most the uncommitted batch, which the next run imports again.

The write path is the lean equivalent of `save_revision().publish()`: `add_child` (or `save`)
with the published state already set, one `Revision`, one UPDATE pointing `latest_revision` and
`live_revision` at it, one log entry. `publish()` would validate and save the page a second and
third time and index it on its own, inside the transaction. The result is the same as
publishing: `live`, `first_published_at`, `last_published_at`, `live_revision`,
`latest_revision` and a history entry, by no user; and once the batch is committed,
`page_published` is sent for each page, as `publish()` does, so that whatever caches pages
(menus, archive months, a front-end cache) hears of it.
"""

from __future__ import annotations

import datetime
import enum
import time
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.signals import page_published

from bulletins.body import bulletin_body
from bulletins.models import BulletinIndexPage, BulletinPage, CitedDocument
from bulletins.wagtail_hooks import LEGACY_IMPORT_ACTION

from .indexing import index_bulletins
from .prepare import PreparedBulletin

# Legacy dates are Vietnamese calendar days with no time: a bulletin dated 21/03/2023 counts as
# published at the start of that day in Vietnam, whatever TIME_ZONE the new portal runs in.
LEGACY_TIMEZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


class Status(enum.Enum):
    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    status: Status
    legacy_id: str
    page_id: int | None = None
    reason: str = ""


def published_at(date: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(date, datetime.time.min, tzinfo=LEGACY_TIMEZONE)


def describe_error(error: Exception) -> str:
    """A one-line, reader-facing reason for a bulletin the database refused."""
    if isinstance(error, ValidationError):
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        parts = [
            f"{field}: {' '.join(texts)}" if field and field != "__all__" else " ".join(texts)
            for field, texts in messages.items()
        ]
        return "dữ liệu không hợp lệ — " + "; ".join(parts)
    if isinstance(error, DatabaseError):
        return f"cơ sở dữ liệu từ chối ghi — {error}".strip()
    return f"lỗi khi ghi bản tin — {type(error).__name__}: {error}"


class BulletinWriter:
    """Creates or updates the bulletins of one category, batch by batch."""

    def __init__(
        self,
        parent: BulletinIndexPage,
        old_paths: Mapping[str, str] | None = None,
        *,
        dry_run: bool = False,
    ) -> None:
        self.parent = parent
        self.site = parent.get_site()
        self.old_paths = old_paths or {}  # legacy_id → normalised legacy URL path
        self.dry_run = dry_run
        self.redirects_created = 0
        self.redirects_updated = 0
        # Where the time goes, for `-v 2`: writing pages, or the search backend's analysis.
        self.seconds_writing = 0.0
        self.seconds_indexing = 0.0

    # -- batches ---------------------------------------------------------------------------

    def write(self, batch: Sequence[PreparedBulletin]) -> list[Outcome]:
        if not batch:
            return []
        existing = {
            row["legacy_id"]: row
            for row in BulletinPage.objects.filter(
                legacy_id__in=[item.legacy_id for item in batch]
            ).values("pk", "legacy_id", "legacy_checksum", "legacy_url")
        }
        if self.dry_run:
            return [self._classify(item, existing.get(item.legacy_id)) for item in batch]

        outcomes: list[Outcome] = []
        published: list[tuple[BulletinPage, Revision]] = []
        started = time.perf_counter()
        with transaction.atomic():
            redirects = self._redirects_for(batch)
            for item in batch:
                try:
                    with transaction.atomic():
                        outcome, written = self._write_one(item, existing.get(item.legacy_id))
                        self._ensure_redirect(item.legacy_id, outcome.page_id, redirects)
                        if written:
                            # Paused during the import (see .indexing): what the page refers
                            # to (its category) is recorded here, with the page, as on save.
                            ReferenceIndex.create_or_update_for_object(written[0])
                except Exception as error:
                    # The savepoint is rolled back; the parent's in-memory child count may
                    # have moved with it, and add_child relies on it.
                    self.parent.refresh_from_db(fields=["numchild"])
                    outcome = Outcome(Status.FAILED, item.legacy_id, reason=describe_error(error))
                else:
                    if written:
                        published.append(written)
                outcomes.append(outcome)
        # Committed: now the pages can be indexed, and whatever caches pages (menus, archive
        # months, a front-end cache) is told, through Wagtail's own signal, what was published.
        written = time.perf_counter()
        index_bulletins(page.pk for page, _ in published)
        indexed = time.perf_counter()
        for page, revision in published:
            page_published.send(sender=BulletinPage, instance=page, revision=revision)
        self.seconds_writing += (written - started) + (time.perf_counter() - indexed)
        self.seconds_indexing += indexed - written
        return outcomes

    def _classify(self, item: PreparedBulletin, row: dict | None) -> Outcome:
        """What writing the item would do (for --dry-run)."""
        if row is None:
            return Outcome(Status.IMPORTED, item.legacy_id)
        status = Status.UNCHANGED if row["legacy_checksum"] == item.checksum else Status.UPDATED
        return Outcome(status, item.legacy_id, row["pk"])

    def _write_one(
        self, item: PreparedBulletin, row: dict | None
    ) -> tuple[Outcome, tuple[BulletinPage, Revision] | None]:
        """What was done, and the page and revision published, if any."""
        if row is None:
            page, revision = self._create(item)
            return Outcome(Status.IMPORTED, item.legacy_id, page.pk), (page, revision)
        if row["legacy_checksum"] != item.checksum:
            page, revision = self._update(row["pk"], item)
            return Outcome(Status.UPDATED, item.legacy_id, page.pk), (page, revision)
        old_path = self.old_paths.get(item.legacy_id)
        if old_path and row["legacy_url"] != old_path:
            # Where the page used to live is metadata, not content: no new revision.
            BulletinPage.objects.filter(pk=row["pk"]).update(legacy_url=old_path)
        return Outcome(Status.UNCHANGED, item.legacy_id, row["pk"]), None

    # -- pages -----------------------------------------------------------------------------

    def _fill(self, page: BulletinPage, item: PreparedBulletin) -> None:
        """Set everything the dump determines on a page, new or existing."""
        record = item.record
        page.title = page.draft_title = item.title
        page.full_title = item.full_title
        page.body = bulletin_body(
            date=record.date, lead=record.lead, paragraphs=record.paragraphs, author=record.author
        )
        page.cited_documents = [
            CitedDocument(kind=document.kind, number=document.number) for document in item.documents
        ]
        page.first_published_at = published_at(record.date)
        page.live, page.has_unpublished_changes, page.expired = True, False, False
        page.legacy_id = item.legacy_id
        page.legacy_checksum = item.checksum
        if old_path := self.old_paths.get(item.legacy_id):
            page.legacy_url = old_path

    def _create(self, item: PreparedBulletin) -> tuple[BulletinPage, Revision]:
        page = BulletinPage(slug="", locale_id=self.parent.locale_id)  # slug: ASCII, from title
        self._fill(page, item)
        page.last_published_at = page.first_published_at
        self.parent.add_child(instance=page)
        return page, self._record_revision(page, created=True)

    def _update(self, page_id: int, item: PreparedBulletin) -> tuple[BulletinPage, Revision]:
        page = BulletinPage.objects.get(pk=page_id)
        self._fill(page, item)
        page.last_published_at = timezone.now()
        page.save()  # the slug, hence the URL, stays: only the content changes
        revision = self._record_revision(page, created=False)
        if Page.objects.filter(alias_of=page).exists():
            page.update_aliases(revision=revision)
        return page, revision

    def _record_revision(self, page: BulletinPage, *, created: bool) -> Revision:
        """The revision that records the import, made live, and its history entry."""
        revision = Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            user=None,
            content=page.serializable_data(),
            object_str=str(page),
        )
        page.latest_revision = page.live_revision = revision
        page.latest_revision_created_at = revision.created_at
        Page.objects.filter(pk=page.pk).update(
            latest_revision=revision,
            live_revision=revision,
            latest_revision_created_at=revision.created_at,
        )
        log(
            instance=page,
            action=LEGACY_IMPORT_ACTION,
            user=None,
            revision=revision,
            content_changed=True,
            data={"legacy_id": page.legacy_id, "created": created},
        )
        return revision

    # -- redirects from the old portal ------------------------------------------------------

    def _redirects_for(self, batch: Sequence[PreparedBulletin]) -> dict[str, Redirect]:
        old_paths = [self.old_paths[i.legacy_id] for i in batch if i.legacy_id in self.old_paths]
        if not old_paths:
            return {}
        return {
            redirect.old_path: redirect
            for redirect in Redirect.objects.filter(site=self.site, old_path__in=old_paths)
        }

    def _ensure_redirect(
        self, legacy_id: str, page_id: int | None, redirects: dict[str, Redirect]
    ) -> None:
        """A permanent redirect from the old address to the page; written only if missing or
        different, so a second run writes nothing."""
        old_path = self.old_paths.get(legacy_id)
        if not old_path or page_id is None:
            return
        redirect = redirects.get(old_path)
        if redirect is None:
            redirects[old_path] = Redirect.objects.create(
                old_path=old_path, site=self.site, redirect_page_id=page_id, is_permanent=True
            )
            self.redirects_created += 1
            return
        points_here = redirect.redirect_page_id == page_id and not redirect.redirect_link
        if not (points_here and redirect.is_permanent):
            redirect.redirect_page_id, redirect.redirect_link = page_id, ""
            redirect.is_permanent = True
            redirect.save(update_fields=["redirect_page", "redirect_link", "is_permanent"])
            self.redirects_updated += 1
