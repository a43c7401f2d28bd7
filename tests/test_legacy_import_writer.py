"""The importer's lean write path (bulletins.legacy.writer, .siblings): the same pages, tree,
slugs, revisions, history and references that add_child() and publish() would make, with a
bounded number of SQL statements per bulletin."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from bulletins.legacy import importer as importer_module
from bulletins.legacy import writer as writer_module
from bulletins.legacy.batch_rows import BatchRows
from bulletins.models import BulletinPage
from tests.factories import BulletinPageFactory
from tests.legacy_dumps import render_dump, write_archive

GOOD = Path(__file__).resolve().parent / "fixtures" / "legacy" / "good"
SLUG = "khanh-thanh-cau-treo-ban-na-khoang-xa-phieng-sao"  # of GOOD/01_chuan.txt's title

# Per new bulletin: its revision; after the commit, the menu cache's site lookup (home.menus,
# on page_published). Per batch: the existing-page lookup, the parent lock and last child, the
# slug candidates, the pages' two inserts and their cited documents' (bulletins.legacy.writer),
# revision pointers, history entries and references (bulletins.legacy.batch_rows), numchild,
# the search index. (Wagtail's add_child and publish() took 38 per bulletin; the writer with a
# savepoint and inserts per bulletin, 6.9.)
STATEMENTS_PER_BULLETIN = 3
STATEMENTS_PER_RUN = 40


def import_quietly(*paths, expect_failure: bool = False) -> str:
    out = io.StringIO()
    args = [str(path) for path in paths]
    if expect_failure:
        with pytest.raises(CommandError):
            call_command("import_publishingportal", *args, stdout=out, stderr=io.StringIO())
    else:
        call_command("import_publishingportal", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip().splitlines()[-1]


def tree_is_sound(parent: Page) -> None:
    assert Page.find_problems() == ([], [], [], [], [])
    parent.refresh_from_db()
    children = list(Page.objects.child_of(parent).order_by("path"))
    assert parent.numchild == len(children)
    positions = [Page._str2int(child.path[-Page.steplen :]) for child in children]
    assert positions == list(range(1, len(children) + 1))  # no gap, no duplicate
    for child in children:
        assert child.url_path == f"{parent.url_path}{child.slug}/"


@pytest.mark.django_db
def test_statements_per_bulletin_are_bounded(category, tmp_path, django_assert_max_num_queries):
    count = 40
    for _ in write_archive(tmp_path / "kho", count, seed=11, missing_author_rate=0.1):
        pass
    with django_assert_max_num_queries(STATEMENTS_PER_BULLETIN * count + STATEMENTS_PER_RUN):
        summary = import_quietly(tmp_path / "kho")
    assert summary == f"{count} imported, 0 updated, 0 unchanged, 0 failed"
    tree_is_sound(category)


@pytest.mark.django_db
def test_new_bulletin_has_what_add_child_and_publish_would_write(category):
    import_quietly(GOOD / "01_chuan.txt")
    page = BulletinPage.objects.get(legacy_id="01_chuan.txt")
    page.full_clean()  # what the writer did not re-check (foreign keys, uniqueness) holds
    assert page.get_parent().pk == category.pk and page.category_id == category.pk
    assert page.depth == category.depth + 1 and page.draft_title == page.title
    assert page.locale_id == category.locale_id
    assert [d.sort_order for d in page.cited_documents.all()] == [0, 1]
    revision = page.live_revision
    assert revision == page.latest_revision
    assert page.latest_revision_created_at == revision.created_at
    assert [d["number"] for d in revision.content["cited_documents"]] == [
        "12/2023/QĐ-UBND",
        "45/KH-UBND",
    ]
    assert all(d["pk"] for d in revision.content["cited_documents"])
    assert revision.content["slug"] == page.slug and revision.content["path"] == page.path
    entries = PageLogEntry.objects.filter(page=page).order_by("timestamp", "pk")
    assert [(e.action, e.revision_id, e.user_id) for e in entries] == [
        ("wagtail.create", None, None),
        ("bulletins.legacy_import", revision.pk, None),
    ]
    assert all(e.label == page.title and e.content_changed for e in entries)
    references = ReferenceIndex.get_references_for_object(page)
    assert [(r.model_path, r.to_object_id) for r in references] == [("category", str(category.pk))]


@pytest.mark.django_db
def test_repeated_titles_take_wagtails_slugs_and_the_tree_stays_sound(
    category, tmp_path, monkeypatch
):
    # Siblings already holding the first and third slug; eight dumps of the same title, more
    # than one slug query covers, over three batches, one of them refused by the database.
    BulletinPageFactory(parent=category, title="Cũ", slug=SLUG)
    BulletinPageFactory(parent=category, title="Cũ 3", slug=f"{SLUG}-3")
    for n in range(8):
        shutil.copy(GOOD / "01_chuan.txt", tmp_path / f"{n}.txt")
    monkeypatch.setattr(importer_module, "BATCH_SIZE", 3)
    original = writer_module.BulletinWriter._record_revision

    def failing(self, page, *, created):
        if page.legacy_id == "4.txt":
            raise RuntimeError("ổ đĩa đầy")
        return original(self, page, created=created)

    monkeypatch.setattr(writer_module.BulletinWriter, "_record_revision", failing)
    summary = import_quietly(tmp_path, expect_failure=True)
    assert summary == "7 imported, 0 updated, 0 unchanged, 1 failed"
    slugs = dict(BulletinPage.objects.exclude(legacy_id=None).values_list("legacy_id", "slug"))
    assert slugs == {
        "0.txt": f"{SLUG}-2",
        "1.txt": f"{SLUG}-4",
        "2.txt": f"{SLUG}-5",
        "3.txt": f"{SLUG}-6",
        "5.txt": f"{SLUG}-7",  # the failed 4.txt gave its slug and path back
        "6.txt": f"{SLUG}-8",
        "7.txt": f"{SLUG}-9",
    }
    tree_is_sound(category)

    # Wagtail itself carries on from where the importer stopped, and so does the next run.
    added = category.add_child(instance=BulletinPageFactory.build(title="Sau", slug="sau"))
    monkeypatch.undo()
    assert import_quietly(tmp_path) == "1 imported, 0 updated, 7 unchanged, 0 failed"
    assert BulletinPage.objects.get(legacy_id="4.txt").slug == f"{SLUG}-10"
    assert Page.objects.get(pk=added.pk).path < BulletinPage.objects.get(legacy_id="4.txt").path
    tree_is_sound(category)


@pytest.mark.django_db
def test_a_title_named_like_a_feed_of_the_category_gets_a_reachable_slug(
    category, tmp_path, client
):
    for name, title in [("rss.txt", "RSS"), ("atom.txt", "Atom")]:
        dump = render_dump(
            date="02/09/2022",
            title=title,
            lead="Sapo ngắn của bản tin về nguồn tin.",
            paragraphs=["Nội dung đoạn một của bản tin về nguồn tin điện tử."],
        )
        (tmp_path / name).write_text(dump, encoding="utf-8")
    assert import_quietly(tmp_path) == "2 imported, 0 updated, 0 unchanged, 0 failed"
    pages = {page.title: page for page in BulletinPage.objects.exclude(legacy_id=None)}
    assert {title: page.slug for title, page in pages.items()} == {
        "RSS": "rss-2",
        "Atom": "atom-2",
    }
    for page in pages.values():
        response = client.get(page.url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
    assert client.get(f"{category.url}rss/")["Content-Type"].startswith("application/rss+xml")
    tree_is_sound(category)


@pytest.mark.django_db
def test_a_refused_batch_statement_costs_only_the_bulletin_at_fault(
    category, tmp_path, monkeypatch
):
    for n in range(5):
        shutil.copy(GOOD / "01_chuan.txt", tmp_path / f"{n}.txt")
    original, attempts = BatchRows.write, []

    def refusing(self):
        attempts.append(sorted(self.pending))
        if "3.txt" in self.pending:
            raise DatabaseError("giá trị quá dài")
        return original(self)

    monkeypatch.setattr(BatchRows, "write", refusing)
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_publishingportal", str(tmp_path), stdout=stdout, stderr=stderr)
    assert stdout.getvalue().strip() == "4 imported, 0 updated, 0 unchanged, 1 failed"
    assert "LỖI 3.txt: cơ sở dữ liệu từ chối ghi — giá trị quá dài" in stderr.getvalue()
    # The whole batch first, then each bulletin on its own.
    assert attempts == [[f"{n}.txt" for n in range(5)]] + [[f"{n}.txt"] for n in range(5)]
    pages = BulletinPage.objects.exclude(legacy_id=None)
    assert sorted(pages.values_list("legacy_id", flat=True)) == ["0.txt", "1.txt", "2.txt", "4.txt"]
    # Nothing of 3.txt: no page, and no revision or history entry but the four others'.
    assert Revision.objects.count() == 4
    assert PageLogEntry.objects.filter(page__in=pages).count() == 8
    assert PageLogEntry.objects.filter(label__startswith="Khánh thành").count() == 8
    assert all(page.live_revision_id for page in pages)
    tree_is_sound(category)


@pytest.mark.django_db
def test_revision_content_serialised_before_the_lock_is_the_inserted_pages(
    category, tmp_path, monkeypatch
):
    # The writer serialises each new page before locking the category and fills in its place
    # and ids after the insert (Draft.placed_content): that must be what serialising the
    # inserted page gives.
    for _ in write_archive(tmp_path / "kho", 30, seed=11, missing_author_rate=0.1):
        pass
    placed_content, compared = writer_module.Draft.placed_content, []

    def compared_with_the_page(draft):
        content = placed_content(draft)
        assert content == draft.page.serializable_data()
        compared.append(draft.page.legacy_id)
        return content

    monkeypatch.setattr(writer_module.Draft, "placed_content", compared_with_the_page)
    assert import_quietly(tmp_path / "kho") == "30 imported, 0 updated, 0 unchanged, 0 failed"
    assert len(compared) == 30
    assert any(page.cited_documents.exists() for page in BulletinPage.objects.all())
