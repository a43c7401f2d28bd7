"""Writing prepared bulletins as live, published pages. The only part of the importer that
touches the database; it runs in one process (see bulletins.legacy.importer for why).

Transactions: a batch is one transaction. A bulletin that fails while being built or placed
(validation, slug) fails alone before anything is written; an update is its own savepoint; the
new bulletins are inserted together, and if anything in the batch fails there, the batch is
rolled back whole and each bulletin written again in a transaction of its own, so that only the
one at fault fails and leaves nothing behind. A crash loses at most the uncommitted batch, which
the next run imports again.

The write path of a new bulletin is the lean equivalent of `add_child()` then
`save_revision().publish()`, with the same rows in the end (tests/test_legacy_import.py checks
them): the page and its cited documents, one `Revision`, `latest_revision` and `live_revision`
pointing at it, and two history entries (Wagtail's "created" and the import's), by no user.
What it leaves out is work the importer has already done or does once per batch:

- the tree path and slug come from `bulletins.legacy.siblings` (the parent is locked and read
  once per batch, candidate slugs looked up in one query), not from queries per page;
- validation is `clean_fields()` (every field, the StreamField's blocks included) without the
  foreign-key existence checks (locale, content type and category were just read from the
  database) and without the uniqueness queries: the slug was computed free, and the database's
  own unique constraints (path, translation key, legacy id) still refuse a duplicate;
- the pages are inserted with two statements per batch (`_insert_pages`) rather than two per
  page, with pre_save and post_save sent per page as Model.save does;
- modelcluster's child-relation sync (a SELECT per relation, an INSERT per document) becomes
  one bulk INSERT of the batch's cited documents; the revision is serialised from the page in
  memory;
- the revision pointers, both history entries and the reference index are written once per
  batch, in the batch's transaction (bulletins.legacy.batch_rows);
- `publish()` would validate and save the page a second and third time and index it on its
  own, inside the transaction; search indexing is per batch (bulletins.legacy.indexing).

Lock late. Writers into one category (Celery workers, imports.chunks) serialise on the
category row, which is locked from the moment paths are handed out to the commit. So each new
bulletin is first built as a `Draft` outside the transaction — page filled, body built,
validated, its revision content serialised and its references extracted — and the lock is
taken last, for the tree paths, the slugs and the inserts only (`_insert_drafts`); updates and
unchanged bulletins are handled before it. The draft's serialised content gets its place and
ids once inserted (`Draft.placed_content`), equal to serialising the inserted page.

A changed dump (an update) still takes Wagtail's own `save()` path: it is rare, and the page
may have comments and aliases. Once the batch is committed, `page_published` is sent for each
page, as `publish()` does, so that whatever caches pages (menus, archive months, a front-end
cache) hears of it.
"""

from __future__ import annotations

import datetime
import enum
import time
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError, router, transaction
from django.db.models import Exists, OuterRef, signals
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision, Site
from wagtail.signals import page_published

from bulletins.body import bulletin_body
from bulletins.models import BulletinIndexPage, BulletinPage, CitedDocument
from bulletins.wagtail_hooks import LEGACY_IMPORT_ACTION
from caching.batch import forgetting_once

from .batch_rows import BatchRows, history_entries
from .indexing import index_bulletins
from .prepare import PreparedBulletin
from .siblings import SiblingSlots, base_slug

# Read with each batch's existing pages, not one query per page: whether the page's published
# revision is one the import's history entry names (BulletinWriter._live_revision_is_the_imports).
_LIVE_REVISION_IS_LOGGED_IMPORT = Exists(
    PageLogEntry.objects.filter(
        page_id=OuterRef("pk"),
        revision_id=OuterRef("live_revision_id"),
        action=LEGACY_IMPORT_ACTION,
    )
)

# Legacy dates are Vietnamese calendar days with no time: a bulletin dated 21/03/2023 counts as
# published at the start of that day in Vietnam, whatever TIME_ZONE the new portal runs in.
LEGACY_TIMEZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# Foreign keys of a new bulletin that the writer sets from rows it has just read (locale,
# content type, category) or leaves empty: clean_fields() need not query each one again.
UNCHECKED_FOREIGN_KEYS = [
    field.name for field in BulletinPage._meta.concrete_fields if field.is_relation
]
# What a draft gets only in the locked section: its place among its siblings.
PLACE_FIELDS = ["path", "slug", "url_path"]
FIELD_NAMES = [field.name for field in BulletinPage._meta.concrete_fields]


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


@dataclass
class Draft:
    """A new bulletin built and validated outside the locked section (see `_write_batch`):
    its page without path, slug and ids, its revision's content and its references."""

    page: BulletinPage
    content: dict  # page.serializable_data() before the page had its place and ids
    references: frozenset[tuple]  # ReferenceIndex._extract_references_from_object(page)

    def placed_content(self) -> dict:
        """The content serialised after the insert would have been: the same but for the
        page's place (path, slug, URL), the ids the insert gave it and its documents, and the
        documents' order."""
        page = self.page
        content = {
            **self.content,
            "pk": page.pk,
            "path": page.path,
            "slug": page.slug,
            "url_path": page.url_path,
        }
        content["cited_documents"] = [
            {**data, "pk": document.pk, "page": page.pk, "sort_order": document.sort_order}
            for data, document in zip(
                self.content["cited_documents"], page.cited_documents.all(), strict=True
            )
        ]
        return content


class BulletinWriter:
    """Creates or updates the bulletins of one category, batch by batch."""

    def __init__(
        self,
        parent: BulletinIndexPage,
        old_paths: Mapping[str, str] | None = None,
        *,
        dry_run: bool = False,
        overwrite_edited: bool = False,
    ) -> None:
        self.parent = parent
        self.site = parent.get_site()
        self.old_paths = old_paths or {}  # legacy_id → normalised legacy URL path
        self.dry_run = dry_run
        # Whether a changed dump replaces what editors changed and published (--overwrite-edited).
        self.overwrite_edited = overwrite_edited
        self.redirects_created = 0
        self.redirects_updated = 0
        self.redirects_kept = 0  # pointed elsewhere by an editor: left as they chose
        # Where the time goes, for `-v 2`: writing pages, or the search backend's analysis.
        self.seconds_writing = 0.0
        self.seconds_indexing = 0.0
        # How long this writer waited for other writers' lock on the category (Celery workers).
        self.seconds_waiting_for_category = 0.0
        # New pages' revision content, serialised with their drafts (see Draft.placed_content).
        self._serialised: dict[str, dict] = {}
        self._category_sites: dict[int, Site | None] = {}

    # -- batches ---------------------------------------------------------------------------

    def write(self, batch: Sequence[PreparedBulletin]) -> list[Outcome]:
        if not batch:
            return []
        # Cached pages, menus and the CDN forget the batch once, after it, not once per page.
        with forgetting_once():
            return self._write(batch)

    def _write(self, batch: Sequence[PreparedBulletin]) -> list[Outcome]:
        existing = {
            row["legacy_id"]: row
            for row in BulletinPage.objects.filter(legacy_id__in=[item.legacy_id for item in batch])
            .annotate(live_revision_is_logged_import=_LIVE_REVISION_IS_LOGGED_IMPORT)
            .values(
                "pk",
                "legacy_id",
                "legacy_checksum",
                "legacy_url",
                "live",
                "has_unpublished_changes",
                "live_revision__user_id",
                "live_revision_is_logged_import",
                "category_id",
            )
        }
        if self.dry_run:
            return [self._classify(item, existing.get(item.legacy_id)) for item in batch]

        started = time.perf_counter()
        counters = (self.redirects_created, self.redirects_updated, self.redirects_kept)
        try:
            outcomes, published = self._write_batch(batch, existing)
        except Exception:
            # One of the batch's shared statements (the new pages' inserts, see
            # _insert_drafts, or BatchRows) failed: the batch's transaction is rolled back
            # whole, so nothing of it is left. Write the bulletins again, each in a
            # transaction of its own: only the one at fault fails.
            self.redirects_created, self.redirects_updated, self.redirects_kept = counters
            self._serialised.clear()
            outcomes, published = [], []
            for item in batch:
                try:
                    done, written = self._write_batch([item], existing)
                except Exception as error:
                    self._serialised.clear()
                    reason = describe_error(error)
                    done, written = [Outcome(Status.FAILED, item.legacy_id, reason=reason)], []
                outcomes += done
                published += written
        # Committed: now the pages can be indexed, and whatever caches pages (menus, archive
        # months, a front-end cache) is told, through Wagtail's own signal, what was published.
        committed = time.perf_counter()
        index_bulletins(page.pk for page, _ in published)
        indexed = time.perf_counter()
        for page, revision in published:
            page_published.send(sender=BulletinPage, instance=page, revision=revision)
        self.seconds_writing += (committed - started) + (time.perf_counter() - indexed)
        self.seconds_indexing += indexed - committed
        return outcomes

    def _write_batch(
        self, batch: Sequence[PreparedBulletin], existing: Mapping[str, dict]
    ) -> tuple[list[Outcome], list[tuple[BulletinPage, Revision]]]:
        """One transaction: a savepoint per bulletin, then the rows the new ones share.

        New bulletins are built first, before the transaction (see `_draft`); the category is
        locked only for what needs it, their paths, slugs and inserts, at the end of the
        transaction, so that writers into one category (Celery workers) queue for the inserts
        alone, not for the building, validation and serialisation of their pages."""
        outcomes: dict[str, Outcome] = {}
        published: list[tuple[BulletinPage, Revision]] = []
        drafts: list[Draft] = []
        for item in batch:
            if item.legacy_id in existing:
                continue
            try:
                drafts.append(self._draft(item))
            except Exception as error:
                outcomes[item.legacy_id] = Outcome(
                    Status.FAILED, item.legacy_id, reason=describe_error(error)
                )
        with transaction.atomic():
            redirects = self._redirects_for(batch)
            for item in batch:
                if item.legacy_id not in existing:
                    continue
                try:
                    with transaction.atomic():
                        outcome, written = self._write_existing(item, existing[item.legacy_id])
                        self._ensure_redirect(item.legacy_id, outcome.page_id, redirects)
                except Exception as error:
                    outcome = Outcome(Status.FAILED, item.legacy_id, reason=describe_error(error))
                else:
                    if written:
                        published.append(written)
                outcomes[item.legacy_id] = outcome
            if drafts:
                self._insert_drafts(drafts, redirects, outcomes, published)
        return [outcomes[item.legacy_id] for item in batch], published

    def _insert_drafts(
        self,
        drafts: Sequence[Draft],
        redirects: dict[str, Redirect],
        outcomes: dict[str, Outcome],
        published: list[tuple[BulletinPage, Revision]],
    ) -> None:
        """The locked section: from here to the commit, the category row is locked.

        Each draft gets its path and slug; one whose slug is refused fails alone, before
        anything is written, and gives its place back. The others are inserted together
        (`_insert_pages`: two statements for all the pages, one for their documents). If any
        of that fails, the batch's transaction is rolled back whole and `write()` writes each
        bulletin again in a transaction of its own, so that only the one at fault fails."""
        waited = time.perf_counter()
        slots = SiblingSlots.claim(self.parent)
        self.seconds_waiting_for_category += time.perf_counter() - waited
        slots.reserve_slugs(draft.page.title for draft in drafts)
        placed: list[Draft] = []
        for draft in drafts:
            page = draft.page
            page.path = slots.next_path()
            page.slug = slots.free_slug(page.title)
            page.set_url_path(self.parent)
            try:
                page.clean_fields(exclude=[name for name in FIELD_NAMES if name != "slug"])
            except ValidationError as error:
                reason = describe_error(error)
                outcomes[page.legacy_id] = Outcome(Status.FAILED, page.legacy_id, reason=reason)
                continue
            slots.confirm(page.slug)
            placed.append(draft)
        if not placed:
            slots.release()
            return
        self._insert_pages([draft.page for draft in placed])
        self._rows = rows = BatchRows()
        for draft in placed:
            page = draft.page
            self._serialised[page.legacy_id] = draft.placed_content()
            revision = self._record_revision(page, created=True)
            rows.add(page, revision, draft.references)
            self._ensure_redirect(page.legacy_id, page.pk, redirects)
            published.append((page, revision))
            outcomes[page.legacy_id] = Outcome(Status.IMPORTED, page.legacy_id, page.pk)
        rows.write()
        slots.release()

    @staticmethod
    def _insert_pages(pages: list[BulletinPage]) -> None:
        """Insert the pages and their cited documents, as Model.save would row by row.

        Not Page.save: its checks and defaults are done by the writer; not ClusterableModel's
        save either, which syncs the cited documents one query at a time. Django's bulk_create
        refuses a model with a parent table, so the `wagtailcore_page` rows go in through
        Page's bulk_create (which returns their ids) and the bulletins' own rows through the
        same INSERT as Model.save's, for all of them at once; pre_save and post_save are sent
        for each page as Model.save sends them."""
        using = router.db_for_write(BulletinPage)
        for page in pages:
            signals.pre_save.send(
                sender=BulletinPage, instance=page, raw=False, using=using, update_fields=None
            )
        Page.objects.using(using).bulk_create(pages)
        for page in pages:
            page.page_ptr_id = page.id
        BulletinPage._base_manager.using(using)._insert(
            pages, fields=BulletinPage._meta.local_concrete_fields, using=using
        )
        documents = []
        for page in pages:
            page._state.adding, page._state.db = False, using
            for position, document in enumerate(page.cited_documents.all()):
                document.page, document.sort_order = page, position
                documents.append(document)
        # Before the revisions, as add_child would: a revision records its documents' ids.
        CitedDocument.objects.using(using).bulk_create(documents)
        for page in pages:
            signals.post_save.send(
                sender=BulletinPage,
                instance=page,
                created=True,
                update_fields=None,
                raw=False,
                using=using,
            )

    def _classify(self, item: PreparedBulletin, row: dict | None) -> Outcome:
        """What writing the item would do (for --dry-run)."""
        if row is None:
            try:  # built and validated as the run would, without touching the database
                self._draft(item)
            except Exception as error:
                return Outcome(Status.FAILED, item.legacy_id, reason=describe_error(error))
            return Outcome(Status.IMPORTED, item.legacy_id)
        if elsewhere := self._on_another_site(row):
            return elsewhere
        if row["legacy_checksum"] == item.checksum:
            return Outcome(Status.UNCHANGED, item.legacy_id, row["pk"])
        if held := self._held_by_editors(row):
            return held
        return Outcome(Status.UPDATED, item.legacy_id, row["pk"])

    def _on_another_site(self, row: dict) -> Outcome | None:
        """A failure when the page that has this legacy id belongs to another site: two
        sites' archives may hold the same relative paths, and a dump of this site must never
        overwrite (or be reported unchanged against) another site's bulletin. A page of this
        site moved to another of its categories is still this dump's page."""
        if row["category_id"] == self.parent.pk:
            return None
        site = self._site_of_category(row["category_id"])
        if (site and site.pk) == (self.site and self.site.pk):
            return None
        where = f"trang “{site.site_name or site.hostname}”" if site else "ngoài mọi trang"
        reason = (
            f"mã tệp này đã thuộc một bản tin của {where} (mã trang {row['pk']}), không phải "
            "của trang chứa chuyên mục đang nhập: không ghi đè. Kho của mỗi trang cần đường "
            "dẫn riêng: hãy nhập từ thư mục cha (ví dụ “kho-xa/…”) để mã tệp không trùng."
        )
        return Outcome(Status.FAILED, row["legacy_id"], reason=reason)

    def _site_of_category(self, category_id: int) -> Site | None:
        """Once per category and run: another site's whole archive fails file by file."""
        if category_id not in self._category_sites:
            self._category_sites[category_id] = Page.objects.get(pk=category_id).get_site()
        return self._category_sites[category_id]

    def _held_by_editors(self, row: dict) -> Outcome | None:
        """A failure when editors have a pending revision of the imported page (a draft, one
        in moderation or scheduled), took it down, or changed it and published their change:
        updating it from the dump would put the import's revision over their draft, publish
        the page again, or replace their published text. The file is reported and the page
        left to them. `overwrite_edited` lets the dump replace published edits (their revision
        stays in the history; topics, featured flag and images are kept either way). Only a
        revision the importer recorded is not an editor's (`_live_revision_is_the_imports`)."""
        if not row["live"]:
            what = "đang không xuất bản"
            then = "Nếu trang cần hiện lại, hãy xuất bản nó rồi chạy lại."
        elif row["has_unpublished_changes"]:
            what = "đang có bản nháp chưa xuất bản"
            then = "Xuất bản hoặc bỏ bản nháp rồi chạy lại, hoặc sửa tay."
        elif not self.overwrite_edited and not self._live_revision_is_the_imports(row):
            what = "đã được biên tập viên sửa và xuất bản"
            then = (
                "Để lấy nội dung từ tệp, chạy lại với --overwrite-edited (bản của biên tập "
                "viên vẫn còn trong lịch sử trang), hoặc sửa tay."
            )
        else:
            return None
        reason = (
            f"tệp đã đổi nhưng trang (mã {row['pk']}) {what}: không cập nhật, để không ghi đè "
            f"việc của biên tập viên. {then}"
        )
        return Outcome(Status.FAILED, row["legacy_id"], row["pk"], reason=reason)

    @staticmethod
    def _live_revision_is_the_imports(row: dict) -> bool:
        """Whether the published revision is one the importer recorded. A revision without a
        user is not enough: an editor's keeps its place but loses its user when the editor's
        account is deleted. The import's history entry names its revision."""
        return row["live_revision__user_id"] is None and row["live_revision_is_logged_import"]

    def _write_existing(
        self, item: PreparedBulletin, row: dict
    ) -> tuple[Outcome, tuple[BulletinPage, Revision] | None]:
        """An already imported bulletin: updated if its dump changed (unless editors hold it:
        _held_by_editors), else left as it is."""
        if elsewhere := self._on_another_site(row):
            return elsewhere, None
        if row["legacy_checksum"] != item.checksum:
            if held := self._held_by_editors(row):
                return held, None
            page, revision = self._update(row["pk"], item)
            # Paused during the import (see .indexing): what the page refers to is recorded
            # here, with the page, as on save. New pages' references are written with the
            # batch (BatchRows).
            ReferenceIndex.create_or_update_for_object(page)
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

    def _draft(self, item: PreparedBulletin) -> Draft:
        """A new child of the category, complete but for its place among its siblings (path,
        slug, URL) and its ids, validated and serialised, without touching the database."""
        if not base_slug(item.title):
            raise ValidationError(
                {
                    "slug": f"tiêu đề “{item.title}” không có chữ hay số nào để tạo đường dẫn "
                    "(slug) cho trang."
                }
            )
        parent = self.parent
        page = BulletinPage(slug="", locale_id=parent.locale_id)
        self._fill(page, item)
        page.last_published_at = page.first_published_at
        page.depth = parent.depth + 1
        page.category_id = parent.pk
        page.wagtail_admin_comments = []  # a new page has none: no query to find out
        page.tagged_topics = []  # nor topics (legacy dumps have none)
        page.sync_from_body()
        page.clean_fields(exclude=UNCHECKED_FOREIGN_KEYS + PLACE_FIELDS)
        return Draft(
            page=page,
            content=page.serializable_data(),
            references=frozenset(ReferenceIndex._extract_references_from_object(page)),
        )

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
        """The revision that records the import, made live, and its history entry (for a new
        page, the pointers and the history are written by BatchRows with the batch)."""
        content = self._serialised.pop(page.legacy_id, None)  # a new page's, from its draft
        revision = Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            user=None,
            content=page.serializable_data() if content is None else content,
            object_str=str(page),
        )
        page.latest_revision = page.live_revision = revision
        page.latest_revision_created_at = revision.created_at
        if created:
            return revision  # pointers and history are written with the batch (BatchRows)
        Page.objects.filter(pk=page.pk).update(
            latest_revision=revision,
            live_revision=revision,
            latest_revision_created_at=revision.created_at,
        )
        PageLogEntry.objects.bulk_create(history_entries(page, revision, created=False))
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

    @staticmethod
    def _pointed_elsewhere_by_editors(redirect: Redirect, old_path: str) -> bool:
        """Whether an editor has pointed the old address somewhere else (an external link, a
        page that is not the one imported from it): their choice stays. A redirect to a page
        imported from that address (the url-map changed since) or to nothing (its page was
        deleted) is the import's to put right."""
        if redirect.redirect_link:
            return True
        if redirect.redirect_page_id is None:
            return False
        return not BulletinPage.objects.filter(
            pk=redirect.redirect_page_id, legacy_url=old_path
        ).exists()

    def _ensure_redirect(
        self, legacy_id: str, page_id: int | None, redirects: dict[str, Redirect]
    ) -> None:
        """A permanent redirect from the old address to the page; written only if missing or
        different, so a second run writes nothing, and never over an editor's change."""
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
        if not points_here and self._pointed_elsewhere_by_editors(redirect, old_path):
            self.redirects_kept += 1
            return
        if not (points_here and redirect.is_permanent):
            redirect.redirect_page_id, redirect.redirect_link = page_id, ""
            redirect.is_permanent = True
            redirect.save(update_fields=["redirect_page", "redirect_link", "is_permanent"])
            self.redirects_updated += 1
