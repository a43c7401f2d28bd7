"""`manage.py import_publishingportal`: a legacy archive becomes published, searchable
bulletins, faithfully, repeatably and without half-written pages."""

import datetime
import io
import os
import shutil
import unicodedata
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageLogEntry, Revision, Site

from bulletins.legacy import writer as writer_module
from bulletins.legacy.indexing import search_index_updates_paused
from bulletins.legacy.progress import Progress, format_duration
from bulletins.legacy.urlmap import UrlMapError, load_url_map
from bulletins.models import BulletinIndexPage, BulletinPage
from imports import runs
from tests.conftest import wagtail_root
from tests.factories import BulletinIndexPageFactory, HomePageFactory
from tests.legacy_dumps import render_dump, write_archive

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "legacy"
GOOD = FIXTURES / "good"
SEED_DIR = Path("/work/shared/seed")
VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def run(*args, expect_failure: bool = False) -> tuple[str, str]:
    """Run the command; returns (stdout, stderr). Failures must raise CommandError."""
    out, err = io.StringIO(), io.StringIO()
    if expect_failure:
        with pytest.raises(CommandError):
            call_command("import_publishingportal", *map(str, args), stdout=out, stderr=err)
    else:
        call_command("import_publishingportal", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def summary(stdout: str) -> str:
    lines = [line for line in stdout.splitlines() if line.endswith(" failed")]
    assert len(lines) == 1, stdout
    return lines[0]


def imported() -> dict[str, BulletinPage]:
    return {page.legacy_id: page for page in BulletinPage.objects.exclude(legacy_id=None)}


def counts() -> tuple[int, ...]:
    return (
        Page.objects.count(),
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        Redirect.objects.count(),
    )


def import_one_dump(folder: Path) -> tuple[Path, str, BulletinPage]:
    """The standard fixture dump, imported alone from `folder` as tin.txt: (the dump, its
    text, its page), for tests that change the dump and import it again."""
    dump = folder / "tin.txt"
    text = (GOOD / "01_chuan.txt").read_text(encoding="utf-8")
    dump.write_text(text, encoding="utf-8")
    run(folder)
    return dump, text, imported()["tin.txt"]


def paragraphs(page: BulletinPage) -> list[str]:
    view_data = next(block.value for block in page.body if block.block_type == "view_data")
    return [block.value.source for block in view_data["content"]]


# -- a faithful import ------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_dump_is_imported_faithfully(category):
    if not SEED_DIR.is_dir():
        pytest.skip("no legacy seed dump on this machine")
    stdout, _ = run(SEED_DIR)
    assert summary(stdout).startswith("1 imported, 0 updated, 0 unchanged, 0 failed")
    (page,) = BulletinPage.objects.child_of(category)
    assert page.title == "Thực hiện các nhiệm vụ trọng tâm trong công tác trẻ em năm 2023"
    assert page.slug == "thuc-hien-cac-nhiem-vu-trong-tam-trong-cong-tac-tre-em-nam-2023"
    assert page.date == datetime.date(2023, 3, 21)
    assert page.lead.startswith("Ngày 20/3/2023, UBND tỉnh ban hành Công văn số 1566/UND-VXNV")
    assert len(paragraphs(page)) == 9
    assert page.author == "Minh Huyền"
    assert [(d.kind, d.number) for d in page.cited_documents.all()] == [
        ("Công văn", "1566/UND-VXNV")
    ]


@pytest.mark.django_db
def test_control_characters_in_a_dump_are_read_as_spaces(category, client, tmp_path):
    # Feeds can't carry a control character (a NUL marks a binary file, refused on reading).
    text = (GOOD / "01_chuan.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text.replace("Thu Hà", "Thu\x1bHà"), encoding="utf-8")
    other = text.replace("cầu treo", "cầu\x0btreo").replace("16/09/2024", "17/09/2024")
    (tmp_path / "b.txt").write_text(other, encoding="utf-8")
    stdout, _ = run(tmp_path)
    assert summary(stdout).startswith("2 imported, 0 updated, 0 unchanged, 0 failed")
    pages = imported()
    assert pages["a.txt"].author == "Thu Hà"
    assert pages["b.txt"].title.startswith("Khánh thành cầu treo bản")
    assert client.get(category.url + "rss/").status_code == 200


@pytest.mark.django_db
def test_an_import_refreshes_sqlites_planner_statistics(category):
    """SQLite plans joins over the page tree well only with table statistics (ANALYZE);
    PostgreSQL keeps its own."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum keeps its statistics")
    forget_planner_statistics()
    run(GOOD)
    assert {"wagtailcore_page", "bulletins_bulletinpage"} <= analysed_tables()


def forget_planner_statistics() -> None:
    """Within the test's transaction: no statistics, whatever earlier tests of this worker left
    (a transactional test's flush empties Django's tables, not sqlite_stat1)."""
    from django.db import connection

    if _has_statistics_table(connection):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_stat1")


def analysed_tables(connection=None) -> set[str]:
    """The SQLite tables that ANALYZE has given statistics to (none before it first runs), on
    `connection` or the test database's."""
    from django.db import connection as test_database

    connection = connection or test_database
    if not _has_statistics_table(connection):
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {table for (table,) in cursor.fetchall()}


def _has_statistics_table(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        return cursor.fetchone() is not None


@pytest.mark.django_db
def test_imported_bulletin_is_a_normal_published_page(category, client):
    run(GOOD / "01_chuan.txt", "--into", "tin-tuc")
    page = imported()["01_chuan.txt"]
    assert page.get_parent().specific == category
    assert page.title == "Khánh thành cầu treo bản Nà Khoang, xã Phiêng Sảo"
    assert page.slug == "khanh-thanh-cau-treo-ban-na-khoang-xa-phieng-sao"
    assert page.date == datetime.date(2024, 9, 16)
    midnight = datetime.datetime(2024, 9, 16, tzinfo=VIETNAM)
    assert page.first_published_at == page.last_published_at == midnight
    assert page.author == "Thu Hà"
    assert page.lead.startswith("Sáng 14/9/2024")
    assert len(paragraphs(page)) == 3
    assert [block.block_type for block in page.body] == ["toolbar", "view_data"]
    assert all(block.id for block in page.body)
    assert [str(d) for d in page.cited_documents.all()] == [
        "Quyết định số 12/2023/QĐ-UBND",
        "Kế hoạch số 45/KH-UBND",
    ]
    # Live and published through a revision by no user, and the history says so.
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision_id == page.latest_revision_id
    assert page.live_revision.user is None
    assert page.live_revision.as_object().cited_documents.count() == 2
    entry = PageLogEntry.objects.get(page=page, action="bulletins.legacy_import")
    assert entry.revision_id == page.live_revision_id
    assert "PublishingPortal" in entry.message and "01_chuan.txt" in entry.message
    response = client.get(page.url)
    assert response.status_code == 200
    assert "cầu treo bản Nà Khoang" in response.content.decode()


@pytest.mark.django_db
def test_editors_see_the_source_and_the_cited_documents(category, admin_client):
    from django.urls import reverse

    run(GOOD / "01_chuan.txt")
    page = imported()["01_chuan.txt"]
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nguồn PublishingPortal cũ" in content and "01_chuan.txt" in content
    assert "Văn bản được dẫn" in content and "45/KH-UBND" in content
    assert 'name="legacy_id"' not in content  # shown, not editable
    history = admin_client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert "Nhập và xuất bản từ tệp lưu trữ PublishingPortal" in history.content.decode()


@pytest.mark.django_db
def test_fixture_folder_with_every_tolerance_and_failure(category):
    stdout, stderr = run(FIXTURES, expect_failure=True)
    assert summary(stdout) == "8 imported, 0 updated, 0 unchanged, 6 failed"
    pages = imported()
    assert sorted(pages) == sorted(f"good/{path.name}" for path in GOOD.glob("*.txt"))
    for expected in [
        "LỖI bad/rong.txt: tệp rỗng",
        "LỖI bad/khong_dau_moc.txt:1: dòng đầu tiên phải là dấu mốc",
        "LỖI bad/ngay_31_02.txt:3: ngày đăng “31/02/2023” không có thật",
        "LỖI bad/ngay_iso.txt:3: ngày đăng “2023-03-21” không đúng định dạng dd/mm/yyyy",
        "LỖI bad/rac_nhi_phan.txt:3: tệp nhị phân",
        "LỖI bad/thieu_viewdata.txt:8: không tìm thấy dấu mốc",
    ]:
        assert expected in stderr
    # The long title is shortened for the page and kept whole.
    long = pages["good/08_tieu_de_dai.txt"]
    assert len(long.title) <= 255 and long.title.endswith("…")
    assert long.full_title.startswith(long.title[:-1]) and len(long.full_title) > 255
    assert pages["good/06_thieu_sapo.txt"].lead == ""
    assert pages["good/07_thieu_tac_gia.txt"].author == ""
    # Five layouts of one bulletin: same content, distinct slugs, one category.
    same = [pages[f"good/0{n}_{name}.txt"] for n, name in [(1, "chuan"), (4, "nfd")]]
    assert same[0].body.raw_data[1]["value"]["lead"] == same[1].body.raw_data[1]["value"]["lead"]
    assert len({page.slug for page in pages.values()}) == len(pages)


@pytest.mark.django_db
def test_oversized_file_fails_and_the_run_goes_on(category, tmp_path):
    shutil.copy(GOOD / "01_chuan.txt", tmp_path / "a.txt")
    with (tmp_path / "b.txt").open("wb") as file:
        file.truncate(5 * 1024 * 1024)
    stdout, stderr = run(tmp_path, expect_failure=True)
    assert summary(stdout) == "1 imported, 0 updated, 0 unchanged, 1 failed"
    assert "LỖI b.txt: tệp quá lớn" in stderr


# -- repeatable -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_folder_that_cannot_be_listed_fails_and_the_run_goes_on(category, tmp_path, monkeypatch):
    archive = tmp_path / "kho"
    for folder, name in [("2023", "a.txt"), ("2024", "b.txt")]:
        (archive / folder).mkdir(parents=True)
        shutil.copy(GOOD / "01_chuan.txt", archive / folder / name)
    # What a folder without read permission does (the tests may run as root, who reads all).
    unreadable, scandir = archive / "2024", os.scandir

    def refusing(path="."):
        if Path(path) == unreadable:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    stdout, stderr = run(archive, expect_failure=True)
    assert summary(stdout) == "1 imported, 0 updated, 0 unchanged, 1 failed"
    assert "LỖI 2024: không đọc được thư mục (Permission denied)" in stderr
    assert list(imported()) == ["2023/a.txt"]


@pytest.mark.django_db
def test_importing_twice_changes_nothing(category):
    run(GOOD)
    before, pages = counts(), imported()
    stdout, _ = run(GOOD)
    assert summary(stdout) == "0 imported, 0 updated, 8 unchanged, 0 failed"
    assert counts() == before
    assert {k: p.latest_revision_id for k, p in imported().items()} == {
        k: p.latest_revision_id for k, p in pages.items()
    }


@pytest.mark.django_db
def test_changed_dump_updates_the_same_page_with_a_new_revision(category, tmp_path):
    dump, text, page = import_one_dump(tmp_path)

    dump.write_text(
        text.replace("dài 96 mét", "dài 98 mét").replace("Quyết định số 12/2023/QĐ-UBND", "dự án"),
        encoding="utf-8",
    )
    stdout, _ = run(tmp_path)
    assert summary(stdout) == "0 imported, 1 updated, 0 unchanged, 0 failed"
    updated = imported()["tin.txt"]
    assert (updated.pk, updated.slug, updated.url_path) == (page.pk, page.slug, page.url_path)
    assert BulletinPage.objects.count() == 1
    assert updated.revisions.count() == 2
    assert updated.live_revision_id == updated.latest_revision_id != page.live_revision_id
    assert "dài 98 mét" in paragraphs(updated)[0]
    assert [str(d) for d in updated.cited_documents.all()] == ["Kế hoạch số 45/KH-UBND"]
    assert updated.first_published_at == page.first_published_at
    assert updated.last_published_at > page.last_published_at


@pytest.mark.django_db
def test_legacy_identity_survives_reverts_and_is_not_copied(category, tmp_path):
    dump, text, page = import_one_dump(tmp_path)
    first_revision = page.live_revision
    dump.write_text(text.replace("96 mét", "98 mét"), encoding="utf-8")
    run(tmp_path)
    page = imported()["tin.txt"]

    # Publishing an old revision keeps the checksum of the last import, so a re-run of the
    # same archive reports the page unchanged rather than rewriting the editor's choice.
    first_revision.publish()
    assert BulletinPage.objects.get(pk=page.pk).legacy_checksum == page.legacy_checksum
    copy = page.copy(to=category, update_attrs={"slug": "ban-sao", "title": "Bản sao"})
    assert copy.specific.legacy_id is None


@pytest.mark.django_db
def test_dry_run_writes_nothing(category):
    before = counts()
    stdout, stderr = run(FIXTURES, "--dry-run", expect_failure=True)
    assert summary(stdout) == "8 imported, 0 updated, 0 unchanged, 6 failed"
    assert "chạy thử" in stderr
    assert counts() == before


@pytest.mark.django_db
def test_dry_run_reports_what_would_change(category, tmp_path):
    run(GOOD)
    shutil.copytree(GOOD, tmp_path / "good")
    path = tmp_path / "good" / "01_chuan.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("96", "97"), encoding="utf-8")
    shutil.copy(GOOD / "01_chuan.txt", tmp_path / "good" / "09_moi.txt")
    before = counts()
    stdout, _ = run(tmp_path / "good", "--dry-run")
    assert summary(stdout) == "1 imported, 1 updated, 7 unchanged, 0 failed"
    assert counts() == before


@pytest.mark.django_db
def test_dry_run_finds_a_title_that_gives_no_address(category, tmp_path):
    (tmp_path / "dau-cau.txt").write_text(
        render_dump(
            date="14/09/2021",
            title="??? !!! …",
            lead="Sapo của bản tin không có tiêu đề chữ.",
            paragraphs=["Nội dung đoạn duy nhất của bản tin thử."],
        ),
        encoding="utf-8",
    )
    shutil.copy(GOOD / "01_chuan.txt", tmp_path / "chuan.txt")
    expected = "1 imported, 0 updated, 0 unchanged, 1 failed"
    reason = "LỖI dau-cau.txt: dữ liệu không hợp lệ — slug: tiêu đề “??? !!! …” không có chữ"
    stdout, stderr = run(tmp_path, "--dry-run", expect_failure=True)
    assert (summary(stdout), reason in stderr) == (expected, True)
    assert not imported()
    stdout, stderr = run(tmp_path, expect_failure=True)
    assert (summary(stdout), reason in stderr) == (expected, True)
    assert list(imported()) == ["chuan.txt"]


@pytest.mark.django_db
def test_same_relative_path_under_two_roots_is_refused(category, tmp_path):
    shutil.copy(GOOD / "07_thieu_tac_gia.txt", tmp_path / "01_chuan.txt")
    stdout, stderr = run(GOOD / "01_chuan.txt", tmp_path / "01_chuan.txt", expect_failure=True)
    assert summary(stdout) == "1 imported, 0 updated, 0 unchanged, 1 failed"
    assert "LỖI 01_chuan.txt: cùng đường dẫn với một tệp khác" in stderr
    assert imported()["01_chuan.txt"].author == "Thu Hà"  # the first one, untouched


@pytest.mark.django_db
def test_a_file_name_that_is_not_utf8_is_imported_and_found_again(category, tmp_path):
    folder = archive_with_a_windows_file_name(tmp_path)
    assert summary(run(folder)[0]) == "2 imported, 0 updated, 0 unchanged, 0 failed"
    assert sorted(imported()) == ["Tin t\\xf4c.txt", "khac.txt"]
    assert summary(run(folder)[0]) == "0 imported, 0 updated, 2 unchanged, 0 failed"


@pytest.mark.django_db
def test_a_decomposed_file_name_is_the_same_dump_as_its_precomposed_spelling(category, tmp_path):
    # macOS, and archives made there, spell Vietnamese names decomposed (NFD).
    name = "thông-báo-lịch-tiếp-dân.txt"
    folder = tmp_path / "kho"
    folder.mkdir()
    shutil.copy(GOOD / "01_chuan.txt", folder / unicodedata.normalize("NFD", name))
    url_map = tmp_path / "urls.csv"
    url_map.write_text(f"{name},/Pages/thong-bao-tiep-dan.aspx\n", encoding="utf-8")
    stdout, stderr = run(folder, "--url-map", url_map)
    assert summary(stdout) == "1 imported, 0 updated, 0 unchanged, 0 failed"
    assert "Cảnh báo" not in stderr
    assert imported()[name].legacy_url == "/Pages/thong-bao-tiep-dan.aspx"

    (folder / unicodedata.normalize("NFD", name)).rename(folder / name)
    stdout, _ = run(folder, "--url-map", url_map)
    assert summary(stdout) == "0 imported, 0 updated, 1 unchanged, 0 failed"
    assert BulletinPage.objects.count() == 1


@pytest.mark.django_db
def test_an_async_run_refuses_only_the_file_name_that_is_not_utf8(category, tmp_path):
    run_ = runs.plan([archive_with_a_windows_file_name(tmp_path)], category, chunk_size=10)
    assert run_.total == 2
    failed = run_.files.get(status="failed")
    assert failed.reason.startswith("LỖI Tin t\\xf4c.txt: tên tệp không phải UTF-8")
    assert run_.files.get(status="pending").legacy_id == "khac.txt"


def archive_with_a_windows_file_name(tmp_path: Path) -> Path:
    """Two dumps, one named "Tin tôc.txt" in Windows-1258 ("ô" is 0xF4), not UTF-8: as an old
    Windows zip unpacks on Linux."""
    folder = tmp_path / "kho"
    folder.mkdir()
    data = (GOOD / "01_chuan.txt").read_bytes()
    with open(os.path.join(os.fsencode(folder), b"Tin t\xf4c.txt"), "wb") as file:
        file.write(data)
    (folder / "khac.txt").write_bytes(data.replace("Khánh thành".encode(), "Khai trương".encode()))
    return folder


# -- where the bulletins go ------------------------------------------------------------------


@pytest.mark.django_db
def test_into_names_the_category(home, category):
    other = BulletinIndexPageFactory(parent=home, title="Chỉ đạo - Điều hành", slug="chi-dao")
    run(GOOD / "01_chuan.txt", "--into", "chi-dao")
    assert imported()["01_chuan.txt"].get_parent().pk == other.pk


@pytest.mark.django_db
def test_into_an_unknown_category_is_a_clear_error(category):
    with pytest.raises(CommandError, match="Không có chuyên mục nào có slug “khong-co”"):
        call_command("import_publishingportal", str(GOOD), into="khong-co", stdout=io.StringIO())
    assert not imported()


@pytest.mark.django_db
def test_no_category_at_all_is_a_clear_error(home):
    with pytest.raises(CommandError, match="Chưa có chuyên mục"):
        call_command("import_publishingportal", str(GOOD), stdout=io.StringIO())
    assert BulletinIndexPage.objects.count() == 0


def commune_site() -> Page:
    """A second site, a commune's, whose root is beside the province's."""
    root = HomePageFactory(parent=wagtail_root(), title="Xã Phiêng Lá", slug="xa-phieng-la")
    Site.objects.create(hostname="phiengla.example.vn", port=80, root_page=root, site_name="Xã")
    return root


@pytest.mark.django_db
def test_a_slug_two_sites_share_is_ambiguous_and_says_how_to_choose(category):
    BulletinIndexPageFactory(parent=commune_site(), title="Tin tức xã", slug="tin-tuc")
    with pytest.raises(CommandError, match=r"Có nhiều chuyên mục cùng slug “tin-tuc”.*--into"):
        run(GOOD / "01_chuan.txt", "--into", "tin-tuc")


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["id", "path"])
def test_into_takes_an_id_or_a_path_when_two_sites_share_a_slug(category, by):
    commune_news = BulletinIndexPageFactory(
        parent=commune_site(), title="Tin tức xã", slug="tin-tuc"
    )
    run(
        GOOD / "01_chuan.txt", "--into", commune_news.pk if by == "id" else "/xa-phieng-la/tin-tuc/"
    )
    assert BulletinPage.objects.child_of(commune_news).count() == 1
    assert BulletinPage.objects.count() == 1


@pytest.mark.django_db
def test_another_sites_archive_never_overwrites_this_sites_bulletins(category, tmp_path):
    """Every site's export numbers its files the same way: a commune's "0001.txt" is not the
    province's."""
    BulletinIndexPageFactory(parent=commune_site(), title="Tin xã", slug="tin-xa")
    for folder, title in (("tinh", "Tin của tỉnh"), ("xa", "Tin của xã")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "0001.txt").write_text(
            render_dump(
                date="01/02/2024",
                title=title,
                lead=f"Sapo {title}.",
                paragraphs=[f"Đoạn một {title}.", f"Đoạn hai {title}."],
                author="Minh Huyền",
            ),
            encoding="utf-8",
        )
    run(tmp_path / "tinh", "--into", "tin-tuc")

    for dry_run in (["--dry-run"], []):
        stdout, stderr = run(tmp_path / "xa", "--into", "tin-xa", *dry_run, expect_failure=True)
        assert summary(stdout) == "0 imported, 0 updated, 0 unchanged, 1 failed"
        assert "LỖI 0001.txt: mã tệp này đã thuộc một bản tin của trang “Thử”" in stderr

    (page,) = BulletinPage.objects.all()
    assert (page.title, page.category_id) == ("Tin của tỉnh", category.pk)
    assert page.revisions.count() == 1


@pytest.mark.django_db
def test_missing_path_is_a_clear_error(category, tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command("import_publishingportal", str(tmp_path / "khong-co"), stdout=io.StringIO())


# -- nothing half-written --------------------------------------------------------------------


@pytest.mark.django_db
def test_bulletin_refused_by_the_database_leaves_nothing_behind(category, monkeypatch):
    original = writer_module.BulletinWriter._record_revision

    def failing(self, page, *, created):
        if page.legacy_id == "03_bom_crlf.txt":
            raise RuntimeError("ổ đĩa đầy")
        return original(self, page, created=created)

    monkeypatch.setattr(writer_module.BulletinWriter, "_record_revision", failing)
    stdout, stderr = run(GOOD, expect_failure=True)
    assert summary(stdout) == "7 imported, 0 updated, 0 unchanged, 1 failed"
    assert "LỖI 03_bom_crlf.txt: lỗi khi ghi bản tin — RuntimeError: ổ đĩa đầy" in stderr
    assert "03_bom_crlf.txt" not in imported()
    assert BulletinPage.objects.count() == 7 == Page.objects.child_of(category).count()
    assert Page.find_problems() == ([], [], [], [], [])
    monkeypatch.undo()
    stdout, _ = run(GOOD)  # the next run imports what is missing, and only that
    assert summary(stdout) == "1 imported, 0 updated, 7 unchanged, 0 failed"


# -- old links keep working ------------------------------------------------------------------


@pytest.mark.django_db
def test_one_dump_imported_again_under_its_root_is_the_same_bulletin(category, tmp_path):
    """A corrected file imported on its own takes its identity from --root, as when its
    archive was imported whole: the page is updated, not duplicated."""
    archive = tmp_path / "kho"
    (archive / "2023" / "03").mkdir(parents=True)
    dump = archive / "2023" / "03" / "tin.txt"
    text = (GOOD / "01_chuan.txt").read_text(encoding="utf-8")
    dump.write_text(text, encoding="utf-8")
    run(archive)
    assert list(imported()) == ["2023/03/tin.txt"]

    dump.write_text(text.replace("dài 96 mét", "dài 98 mét"), encoding="utf-8")
    stdout, _ = run(dump, "--root", archive)
    assert summary(stdout) == "0 imported, 1 updated, 0 unchanged, 0 failed"
    stdout, _ = run(archive / "2023", "--root", archive)
    assert summary(stdout) == "0 imported, 0 updated, 1 unchanged, 0 failed"
    assert list(imported()) == ["2023/03/tin.txt"]

    outside = tmp_path / "khac.txt"
    outside.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="Không nằm trong thư mục gốc"):
        call_command("import_publishingportal", str(outside), "--root", str(archive))
    assert BulletinPage.objects.count() == 1


@pytest.mark.django_db
def test_url_map_makes_permanent_redirects(category, client, tmp_path):
    url_map = tmp_path / "urls.csv"
    url_map.write_text(
        "tệp,địa chỉ cũ\n"
        "01_chuan.txt,https://hoason.gov.vn/Pages/khanh-thanh-cau-treo.aspx?ItemID=17\n"
        ".\\06_thieu_sapo.txt,/tin-tuc/Lists/BanTin/6.aspx\n"  # made on Windows
        "da-xoa.txt,/Pages/bai-da-xoa.aspx\n",  # not in the archive
        encoding="utf-8",
    )
    stdout, stderr = run(GOOD, "--url-map", url_map)
    assert "2 tạo mới" in stderr
    assert "Cảnh báo: 1 tệp trong url-map không có trong kho đã nhập: da-xoa.txt" in stderr
    page = imported()["01_chuan.txt"]
    assert page.legacy_url == "/Pages/khanh-thanh-cau-treo.aspx?ItemID=17"

    response = client.get("/Pages/khanh-thanh-cau-treo.aspx", {"ItemID": "17"})
    assert response.status_code == 301
    assert response["Location"] == page.url

    before = list(Redirect.objects.values_list("pk", "old_path", "redirect_page_id"))
    stdout, stderr = run(GOOD, "--url-map", url_map)
    assert summary(stdout) == "0 imported, 0 updated, 8 unchanged, 0 failed"
    assert "tạo mới" not in stderr
    assert list(Redirect.objects.values_list("pk", "old_path", "redirect_page_id")) == before


@pytest.mark.django_db
def test_an_old_address_an_editor_pointed_elsewhere_stays_as_they_chose(category, client, tmp_path):
    url_map = tmp_path / "urls.csv"
    url_map.write_text(
        "01_chuan.txt,/Pages/cau-treo.aspx\n06_thieu_sapo.txt,/Pages/tin-6.aspx\n",
        encoding="utf-8",
    )
    run(GOOD, "--url-map", url_map)
    # The editors merged the first bulletin into the category's page and sent its readers
    # there, and sent the second old address to another portal.
    Redirect.objects.filter(old_path="/Pages/cau-treo.aspx").update(
        redirect_page=category, is_permanent=False
    )
    Redirect.objects.filter(old_path="/Pages/tin-6.aspx").update(
        redirect_page=None, redirect_link="https://tinh.gov.vn/tin-6"
    )

    stdout, stderr = run(GOOD, "--url-map", url_map)
    assert "Giữ nguyên 2 chuyển hướng" in stderr and "cập nhật" not in stderr
    response = client.get("/Pages/cau-treo.aspx")
    assert (response.status_code, response["Location"]) == (302, category.url)
    assert client.get("/Pages/tin-6.aspx")["Location"] == "https://tinh.gov.vn/tin-6"

    # A redirect whose page is gone is the import's to put right.
    Redirect.objects.filter(old_path="/Pages/cau-treo.aspx").update(redirect_page=None)
    stdout, stderr = run(GOOD, "--url-map", url_map)
    assert "1 cập nhật" in stderr
    assert client.get("/Pages/cau-treo.aspx")["Location"] == imported()["01_chuan.txt"].url


def url_map_refusal(tmp_path, text: str) -> str:
    """The message load_url_map refuses this map with."""
    url_map = tmp_path / "urls.csv"
    url_map.write_text(text)
    with pytest.raises(UrlMapError) as raised:
        load_url_map(url_map)
    return str(raised.value)


def test_url_map_refuses_ambiguity(tmp_path):
    message = url_map_refusal(
        tmp_path, "a.txt,/cu/1.aspx\nb.txt,/cu/1.aspx\na.txt,/cu/2.aspx\nc.txt\n"
    )
    assert "3 lỗi" in message
    assert "dòng 2: địa chỉ “/cu/1.aspx” đã dành cho tệp ở dòng 1" in message
    assert "dòng 3: tệp “a.txt” đã có địa chỉ" in message
    assert "dòng 4: cần hai cột" in message


def test_url_map_reports_cells_that_are_no_address(tmp_path):
    message = url_map_refusal(
        tmp_path, "a.txt,http://[::1/tin.aspx\nb.txt,/cu/\x00.aspx\nc.txt,/cu/3.aspx\n"
    )
    assert "2 lỗi" in message
    assert "dòng 1: “http://[::1/tin.aspx” không phải một địa chỉ." in message
    assert "dòng 2: có ký tự điều khiển" in message


def test_url_map_first_row_naming_a_dump_is_a_mapping_not_a_header(tmp_path):
    url_map = tmp_path / "urls.csv"
    url_map.write_text("2023/a.txt,Pages/tin-tuc/a.aspx\n2023/b.txt,Pages/tin-tuc/b.aspx\n")
    assert load_url_map(url_map) == {
        "2023/a.txt": "/Pages/tin-tuc/a.aspx",
        "2023/b.txt": "/Pages/tin-tuc/b.aspx",
    }
    url_map.write_text("tệp,địa chỉ cũ\n2023/a.txt,Pages/tin-tuc/a.aspx\n")
    assert load_url_map(url_map) == {"2023/a.txt": "/Pages/tin-tuc/a.aspx"}


def test_url_map_quoted_cells_after_a_comma_and_a_space(tmp_path):
    url_map = tmp_path / "urls.csv"
    url_map.write_text(
        '"tệp", "địa chỉ cũ"\n'
        '"2023/a.txt", "https://xa.gov.vn/Pages/tin-tuc.aspx?ItemID=9&Mode=1"\n'
        '2023/b.txt, "/Pages/lich-tiep-dan, thang 5.aspx"\n',
        encoding="utf-8",
    )
    assert load_url_map(url_map) == {
        "2023/a.txt": "/Pages/tin-tuc.aspx?ItemID=9&Mode=1",
        "2023/b.txt": "/Pages/lich-tiep-dan, thang 5.aspx",
    }


def test_url_map_saved_by_excel_with_semicolons_is_read(tmp_path):
    """Excel with Vietnamese settings (the comma is the decimal separator) saves `;`."""
    url_map = tmp_path / "urls.csv"
    url_map.write_text(
        "tệp;địa chỉ cũ\n2023/a.txt;/Pages/a.aspx?ItemID=1\n2023/b.txt,/Pages/b.aspx\n",
        encoding="utf-8",
    )
    assert load_url_map(url_map) == {
        "2023/a.txt": "/Pages/a.aspx?ItemID=1",
        "2023/b.txt": "/Pages/b.aspx",
    }


def test_url_map_stray_quotation_mark_is_reported_on_its_line(tmp_path):
    message = url_map_refusal(
        tmp_path, 'a.txt,"/Pages/tin-a.aspx\nb.txt,/Pages/tin-b.aspx\nc.txt,/Pages/tin-c.aspx\n'
    )
    assert "1 lỗi" in message
    assert "dòng 1: dấu ngoặc kép" in message
    # In a map of thousands of rows, the rest of the file is no longer one enormous cell.
    rows = "".join(f"{n}.txt,/Pages/tin-{n:06d}-{'x' * 60}.aspx\n" for n in range(3000))
    message = url_map_refusal(tmp_path, '"tệp,địa chỉ cũ\n' + rows)
    assert "1 lỗi" in message
    assert "dòng 1: dấu ngoặc kép" in message


# -- searchable -------------------------------------------------------------------------------


class _RecordingTask:
    def __init__(self) -> None:
        self.enqueued: list[tuple] = []

    def enqueue(self, *args) -> None:
        self.enqueued.append(args)


def record_index_tasks(monkeypatch) -> list[tuple]:
    """The per-save index tasks modelsearch's post_save handler enqueues, recorded not run."""
    from modelsearch import signal_handlers

    task = _RecordingTask()
    monkeypatch.setattr(signal_handlers, "insert_or_update_object_task", task)
    return task.enqueued


@pytest.mark.django_db
def test_imported_bulletins_are_searchable_and_indexed_in_bulk(category, client, monkeypatch):
    from modelsearch.backends.base import BaseSearchBackend

    enqueued, bulk_calls = record_index_tasks(monkeypatch), []
    original_add_bulk = BaseSearchBackend.add_bulk

    def add_bulk(self, model, objects):
        bulk_calls.append(len(objects))
        return original_add_bulk(self, model, objects)

    monkeypatch.setattr(BaseSearchBackend, "add_bulk", add_bulk)
    run(GOOD)
    assert enqueued == []  # no per-page indexing task
    assert bulk_calls == [8]  # one bulk call for the batch

    response = client.get("/tim-kiem/", {"q": "cầu treo Nà Khoang"})
    assert response.status_code == 200
    found = {page.pk for page in response.context["search_results"]}
    assert imported()["01_chuan.txt"].pk in found
    response = client.get("/tim-kiem/", {"q": "Phiêng Sảo"})
    assert response.context["search_results"].paginator.count == 8


@pytest.mark.django_db
def test_pausing_search_indexing_is_undone_even_on_error(bulletin, monkeypatch):
    enqueued = record_index_tasks(monkeypatch)
    with pytest.raises(RuntimeError), search_index_updates_paused():
        bulletin.save()
        raise RuntimeError
    assert enqueued == []
    bulletin.save()
    assert enqueued == [("bulletins", "bulletinpage", str(bulletin.pk))]


# -- in parallel ------------------------------------------------------------------------------


def tree_of(category: BulletinIndexPage, root: str) -> list[tuple]:
    return [
        (page.path[len(category.path) :], page.slug, page.legacy_id.removeprefix(root))
        for page in BulletinPage.objects.child_of(category).order_by("path")
    ]


@pytest.mark.django_db(transaction=True)
def test_two_workers_build_the_same_tree_as_one(home, category, tmp_path, monkeypatch):
    from bulletins.legacy import pipeline

    # Several windows in flight, as at scale, with an archive small enough for CI.
    monkeypatch.setattr(pipeline, "WINDOW", 16)
    monkeypatch.setattr(pipeline, "CHUNKSIZE", 4)
    for _ in write_archive(tmp_path / "mot" / "kho", 60, seed=5, missing_author_rate=0.1):
        pass
    (tmp_path / "mot" / "kho" / "2020" / "hong.txt").write_text("không phải", encoding="utf-8")
    # The same dumps under another folder name: other legacy ids, so both trees can coexist.
    shutil.copytree(tmp_path / "mot" / "kho", tmp_path / "hai" / "kho-2")
    other = BulletinIndexPageFactory(parent=home, slug="kho-hai")

    stdout, _ = run(tmp_path / "mot", "--workers", "1", expect_failure=True)
    assert summary(stdout) == "60 imported, 0 updated, 0 unchanged, 1 failed"
    stdout, stderr = run(
        tmp_path / "hai", "--workers", "2", "--into", "kho-hai", expect_failure=True
    )
    assert summary(stdout) == "60 imported, 0 updated, 0 unchanged, 1 failed"
    assert "LỖI kho-2/2020/hong.txt:1:" in stderr

    assert tree_of(other, "kho-2/") == tree_of(category, "kho/")
    assert len(tree_of(other, "kho-2/")) == 60
    assert Page.find_problems() == ([], [], [], [], [])
    stdout, _ = run(tmp_path / "hai", "--workers", "2", "--into", "kho-hai", expect_failure=True)
    assert summary(stdout) == "0 imported, 0 updated, 60 unchanged, 1 failed"


# -- progress ---------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_without_a_terminal_prints_plain_periodic_lines():
    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(2000, stream, interactive=False, clock=clock)
    for _ in range(10):
        clock.now += 0.5
        progress.advance(100)
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "Đã xử lý 500/2000 tệp · 200,0 tệp/giây · còn khoảng 8 giây"
    assert lines[-1].startswith("Đã xử lý 1000/2000 tệp")
    assert "\r" not in stream.getvalue()
    clock.now += 11  # nothing for 10 s: a line anyway
    progress.advance(1)
    assert stream.getvalue().splitlines()[-1].startswith("Đã xử lý 1001/2000")


def test_progress_on_a_terminal_redraws_one_line_with_rate_and_eta():
    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(1000, stream, interactive=True, clock=clock)
    clock.now = 10
    progress.advance(250)
    progress.message("LỖI a.txt: hỏng")
    output = stream.getvalue()
    assert output.startswith("\r\x1b[K")
    assert "25% 250/1000 tệp · 25,0 tệp/giây · còn khoảng 30 giây" in output
    assert "\r\x1b[KLỖI a.txt: hỏng\n\r\x1b[K" in output
    assert format_duration(3725) == "1 giờ 02 phút"


@pytest.mark.django_db
def test_a_changed_dump_keeps_what_editors_added(category, tmp_path, admin_user):
    """Topics and the featured flag are the portal's own, not the dump's: an update keeps them
    (the editor published them, so the update is asked for)."""
    dump, text, page = import_one_dump(tmp_path)
    page.topics.add("Giao thông")
    page.is_featured = True
    page.save_revision(user=admin_user).publish(user=admin_user)

    dump.write_text(text.replace("dài 96 mét", "dài 98 mét"), encoding="utf-8")
    run(tmp_path, "--overwrite-edited")
    updated = imported()["tin.txt"]
    assert "dài 98 mét" in paragraphs(updated)[0]
    assert [topic.name for topic in updated.topics.all()] == ["Giao thông"]
    assert updated.is_featured
    live = updated.live_revision.as_object()
    assert [topic.name for topic in live.topics.all()] == ["Giao thông"]


@pytest.mark.django_db
def test_an_import_batch_forgets_cached_pages_and_menus_once(category, monkeypatch):
    """Each imported page is published, which forgets its site's cached pages and every menu:
    within a batch that happens once, after its commit, not two or three times per page."""
    from django.core.cache import cache
    from wagtail.models import Site

    from caching import generations
    from home.menus import MENUS

    renewed = []
    renew = generations._renew
    monkeypatch.setattr(generations, "_renew", lambda ids: (renewed.append(set(ids)), renew(ids)))
    MENUS.key()  # the menus' version, as a reader's request leaves it
    menu_version = cache.get(MENUS.version_key)

    stdout, _ = run(GOOD)
    assert summary(stdout).startswith(f"{len(imported())} imported") and len(imported()) > 2
    assert renewed == [{Site.objects.get(is_default_site=True).pk}]
    assert cache.get(MENUS.version_key) == menu_version + 1


@pytest.mark.django_db
@pytest.mark.parametrize("editor_change", ["draft", "unpublished"])
def test_a_changed_dump_never_overwrites_what_editors_did_since(
    category, tmp_path, admin_user, editor_change
):
    """A page editors have a draft of, or took down, is not updated from its changed dump:
    the file is reported, in a dry run too, and the page stays as the editors left it. Once
    the draft is published, the page holds editors' published work: updated only when asked."""
    dump, text, page = import_one_dump(tmp_path)
    if editor_change == "unpublished":
        page.unpublish(user=admin_user)
    else:
        page.title = "Tiêu đề do biên tập viên sửa"
        revision = page.save_revision(user=admin_user)
    before = counts()
    dump.write_text(text.replace("dài 96 mét", "dài 98 mét"), encoding="utf-8")

    for extra in (("--dry-run",), ()):
        stdout, stderr = run(tmp_path, *extra, expect_failure=True)
        assert summary(stdout) == "0 imported, 0 updated, 0 unchanged, 1 failed"
        assert f"LỖI tin.txt: tệp đã đổi nhưng trang (mã {page.pk})" in stdout + stderr
    assert counts() == before
    held = BulletinPage.objects.get(pk=page.pk)
    assert held.live == (editor_change != "unpublished")
    assert held.legacy_checksum == page.legacy_checksum  # still "changed" on the next run
    if editor_change != "unpublished":
        assert held.latest_revision_id == revision.pk
        assert held.get_latest_revision_as_object().title == "Tiêu đề do biên tập viên sửa"
        assert "dài 96 mét" in paragraphs(held.get_latest_revision_as_object())[0]
        revision.publish(user=admin_user)
        stdout, stderr = run(tmp_path, expect_failure=True)
        assert "đã được biên tập viên sửa và xuất bản" in stdout + stderr
        stdout, _ = run(tmp_path, "--overwrite-edited")
        assert summary(stdout) == "0 imported, 1 updated, 0 unchanged, 0 failed"
        assert "dài 98 mét" in paragraphs(imported()["tin.txt"])[0]


@pytest.mark.django_db
def test_published_edits_of_an_editor_whose_account_is_gone_are_kept(
    category, tmp_path, django_user_model
):
    """Deleting an editor's account empties the user of their revisions: the revision they
    published is still theirs, not the importer's."""
    dump, text, page = import_one_dump(tmp_path)
    editor = django_user_model.objects.create_superuser("bien-tap-vien-cu", password="x")
    page.title = "Tiêu đề do biên tập viên đã nghỉ việc sửa"
    page.save_revision(user=editor).publish(user=editor)
    editor.delete()
    dump.write_text(text.replace("dài 96 mét", "dài 98 mét"), encoding="utf-8")

    stdout, stderr = run(tmp_path, expect_failure=True)
    assert summary(stdout) == "0 imported, 0 updated, 0 unchanged, 1 failed"
    assert "đã được biên tập viên sửa và xuất bản" in stderr
    kept = imported()["tin.txt"]
    assert kept.title == "Tiêu đề do biên tập viên đã nghỉ việc sửa"
    assert "dài 96 mét" in paragraphs(kept)[0]
    stdout, _ = run(tmp_path, "--overwrite-edited")
    assert summary(stdout) == "0 imported, 1 updated, 0 unchanged, 0 failed"


@pytest.mark.django_db
def test_published_edits_are_replaced_only_when_asked(category, tmp_path, admin_user):
    """An editor corrected the title and published it; the dump changed too. The import
    reports the page (a dry run too) and leaves it; --overwrite-edited replaces the editor's
    text with the dump's, and the editor's revision stays in the page's history."""
    dump, text, page = import_one_dump(tmp_path)
    page.title = "Tiêu đề do biên tập viên sửa"
    edited = page.save_revision(user=admin_user)
    edited.publish(user=admin_user)
    dump.write_text(text.replace("dài 96 mét", "dài 98 mét"), encoding="utf-8")
    before = counts()

    for extra in (("--dry-run",), ()):
        stdout, stderr = run(tmp_path, *extra, expect_failure=True)
        assert summary(stdout) == "0 imported, 0 updated, 0 unchanged, 1 failed"
        assert "đã được biên tập viên sửa và xuất bản" in stdout + stderr
        assert "--overwrite-edited" in stdout + stderr
    assert counts() == before
    assert imported()["tin.txt"].title == "Tiêu đề do biên tập viên sửa"

    stdout, _ = run(tmp_path, "--overwrite-edited")
    assert summary(stdout) == "0 imported, 1 updated, 0 unchanged, 0 failed"
    updated = imported()["tin.txt"]
    assert updated.title == "Khánh thành cầu treo bản Nà Khoang, xã Phiêng Sảo"
    assert "dài 98 mét" in paragraphs(updated)[0]
    assert updated.revisions.filter(pk=edited.pk).exists()
    # The update is the importer's: the next changed dump goes through without asking.
    dump.write_text(text.replace("dài 96 mét", "dài 99 mét"), encoding="utf-8")
    stdout, _ = run(tmp_path)
    assert summary(stdout) == "0 imported, 1 updated, 0 unchanged, 0 failed"
