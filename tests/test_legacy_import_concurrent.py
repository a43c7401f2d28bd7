"""Two writers importing into one category at the same time, as two Celery workers do
(imports.chunks): each builds its pages outside the category's lock and takes the lock only
for the tree paths and inserts (bulletins.legacy.writer). On the real PostgreSQL, with two
threads and their own connections: the tree stays sound, slugs stay unique among siblings,
no file is lost, and a second run finds everything unchanged."""

import threading
from pathlib import Path

import pytest
from django.db import connection, connections
from wagtail.models import Page, Revision

from bulletins.legacy.files import read_dump
from bulletins.legacy.indexing import import_paused_indexing
from bulletins.legacy.prepare import prepare_text
from bulletins.legacy.siblings import SiblingSlots
from bulletins.legacy.writer import BulletinWriter, Status
from bulletins.models import BulletinIndexPage, BulletinPage
from tests.legacy_dumps import write_archive
from tests.test_legacy_import_writer import tree_is_sound

BATCH = 6
PER_WRITER = 30


def prepared(folder: Path, prefix: str, count: int, *, seed: int = 5):
    """The same generated dumps for every prefix: both writers want the same slugs."""
    paths = [path for path, _ in write_archive(folder / prefix, count, seed=seed)]
    return [
        prepare_text(read_dump(path), f"{prefix}/{path.relative_to(folder / prefix).as_posix()}")
        for path in paths
    ]


def write_concurrently(category_pk: int, batches_by_writer: dict[str, list]) -> dict:
    """Each writer, in a thread of its own, writes its batches; returns outcomes by writer."""
    start = threading.Barrier(len(batches_by_writer))
    outcomes: dict[str, list] = {name: [] for name in batches_by_writer}
    errors: list[BaseException] = []

    def run(name: str, items: list) -> None:
        try:
            writer = BulletinWriter(BulletinIndexPage.objects.get(pk=category_pk))
            start.wait(timeout=30)
            for first in range(0, len(items), BATCH):
                outcomes[name] += writer.write(items[first : first + BATCH])
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(name, items))
        for name, items in batches_by_writer.items()
    ]
    with import_paused_indexing():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    assert not errors, errors
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_writers_into_one_category_keep_the_tree_sound(category, tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need the real PostgreSQL")
    # Where each writer held the category: their locked sections must not overlap.
    held: list[tuple[str, str]] = []
    claim, release = SiblingSlots.claim.__func__, SiblingSlots.release

    def recording_claim(cls, parent):
        slots = claim(cls, parent)
        held.append(("claim", threading.current_thread().name))
        return slots

    def recording_release(self):
        held.append(("release", threading.current_thread().name))
        return release(self)

    monkeypatch.setattr(SiblingSlots, "claim", classmethod(recording_claim))
    monkeypatch.setattr(SiblingSlots, "release", recording_release)

    items = {name: prepared(tmp_path, name, PER_WRITER) for name in ("a", "b")}
    outcomes = write_concurrently(category.pk, items)

    for name, done in outcomes.items():
        assert [o.status for o in done] == [Status.IMPORTED] * PER_WRITER, name
    pages = BulletinPage.objects.child_of(category)
    assert pages.count() == 2 * PER_WRITER  # no file lost
    slugs = list(pages.values_list("slug", flat=True))
    assert len(set(slugs)) == len(slugs)  # unique among siblings, despite equal titles
    assert sum(slug.endswith("-2") for slug in slugs) >= PER_WRITER // 2
    tree_is_sound(category)
    assert Revision.objects.filter(object_id__in=[str(p.pk) for p in pages]).count() == len(slugs)
    assert all(page.live and page.live_revision_id for page in pages)
    # Claims and releases alternate: one writer in the locked section at a time, and both wrote.
    assert [kind for kind, _ in held] == ["claim", "release"] * (len(held) // 2)
    assert len({writer for _, writer in held}) == 2

    # Again, concurrently: every page is found unchanged; a changed dump gets a new revision.
    again = write_concurrently(category.pk, items)
    assert {o.status for done in again.values() for o in done} == {Status.UNCHANGED}
    changed = prepared(tmp_path / "changed", "a", 1, seed=6)[0]
    first = items["a"][0]
    changed = type(first)(**{**first.__dict__, "record": changed.record, "checksum": "khác"})
    (outcome,) = write_concurrently(category.pk, {"a": [changed]})["a"]
    assert outcome.status is Status.UPDATED
    page = BulletinPage.objects.get(legacy_id=first.legacy_id)
    assert Revision.objects.filter(object_id=str(page.pk)).count() == 2
    assert Page.objects.child_of(category).count() == 2 * PER_WRITER
    tree_is_sound(category)
