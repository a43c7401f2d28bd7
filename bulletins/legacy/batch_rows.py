"""The rows a batch's new bulletins have in common, written with one statement per table.

Each new bulletin's own savepoint writes its page and its revision (bulletins.legacy.writer);
(with its cited documents, whose ids the revision records); what only points at them — the
page's `latest_revision`/`live_revision`, the two history entries and the reference index — is
collected here and written once all the bulletins of the batch are in, in the same transaction:
three statements per batch instead of four per bulletin. Nothing is committed in between, so
no page is ever visible without them. A bulletin whose savepoint fails is forgotten here
first; if one of these statements fails, the batch's transaction rolls back whole and the
writer writes each bulletin again in a transaction of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from bulletins.models import BulletinPage
from bulletins.wagtail_hooks import LEGACY_IMPORT_ACTION

REVISION_POINTERS = ["latest_revision", "live_revision", "latest_revision_created_at"]


def history_entries(page: BulletinPage, revision: Revision, *, created: bool) -> list[PageLogEntry]:
    """The import's history entry, preceded for a new page by Wagtail's "created" one (which
    Page.save writes for every new page), as wagtail.log_actions.log() would make them."""
    actions = [("wagtail.create", None, {})] if created else []
    actions.append(
        (LEGACY_IMPORT_ACTION, revision, {"legacy_id": page.legacy_id, "created": created})
    )
    return [
        PageLogEntry(
            page=page,
            content_type=page.content_type,
            label=page.get_admin_display_title(),
            action=action,
            data=data,
            timestamp=revision.created_at,
            user=None,
            revision=entry_revision,
            content_changed=True,
        )
        for action, entry_revision, data in actions
    ]


class BatchRows:
    """New bulletins of one batch and their revisions, until `write()`."""

    def __init__(self) -> None:
        self.pending: dict[str, tuple[BulletinPage, Revision]] = {}
        self.references: dict[str, frozenset[tuple]] = {}  # extracted before the insert

    def add(
        self, page: BulletinPage, revision: Revision, references: frozenset[tuple] | None = None
    ) -> None:
        self.pending[page.legacy_id] = (page, revision)
        if references is not None:
            self.references[page.legacy_id] = references

    def forget(self, legacy_id: str) -> None:
        """The bulletin's savepoint was rolled back: its page and revision are gone."""
        self.pending.pop(legacy_id, None)
        self.references.pop(legacy_id, None)

    def write(self) -> None:
        if not self.pending:
            return
        entries = list(self.pending.values())
        pages = [page for page, _ in entries]
        self._point_at_revisions(pages)
        PageLogEntry.objects.bulk_create(
            entry
            for page, revision in entries
            for entry in history_entries(page, revision, created=True)
        )
        ReferenceIndex.objects.bulk_create(
            self._references(pages),
            ignore_conflicts=connection.features.supports_ignore_conflicts,
        )
        self.pending.clear()
        self.references.clear()

    @staticmethod
    def _point_at_revisions(pages: list[BulletinPage]) -> None:
        """Each page's latest and live revision (the same) and its time, in one statement.
        Django's bulk_update builds a CASE expression per column and row, about 2 ms of CPU a
        page; on PostgreSQL an UPDATE … FROM (VALUES …) writes the same values."""
        if connection.vendor != "postgresql":
            Page.objects.bulk_update(pages, REVISION_POINTERS)
            return
        rows = ", ".join(["(%s::integer, %s::integer, %s::timestamptz)"] * len(pages))
        params = [
            value
            for page in pages
            for value in (page.pk, page.latest_revision_id, page.latest_revision_created_at)
        ]
        table = connection.ops.quote_name(Page._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET latest_revision_id = v.revision_id, "
                "live_revision_id = v.revision_id, latest_revision_created_at = v.created_at "
                f"FROM (VALUES {rows}) AS v(page_id, revision_id, created_at) "
                f"WHERE {table}.id = v.page_id",
                params,
            )

    def _references(self, pages: list[BulletinPage]) -> Iterator[ReferenceIndex]:
        """What ReferenceIndex.create_or_update_for_object() would insert for a page that has
        no references recorded yet (a new page), without its query for existing ones."""
        content_type = ContentType.objects.get_for_model(BulletinPage)
        base_content_type = ContentType.objects.get_for_model(Page)
        for page in pages:
            references = self.references.get(page.legacy_id)
            if references is None:
                references = set(ReferenceIndex._extract_references_from_object(page))
            for to_content_type_id, to_object_id, model_path, content_path in references:
                yield ReferenceIndex(
                    content_type=content_type,
                    base_content_type=base_content_type,
                    object_id=page.pk,
                    to_content_type_id=to_content_type_id,
                    to_object_id=to_object_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
