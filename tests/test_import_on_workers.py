"""`import_publishingportal --async`: an archive imported in chunks by a real Celery worker,
with its progress followed, a failing chunk retried and every failed file reported."""

import io
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bulletins.models import BulletinPage
from imports import runs
from imports.chunks import run_chunk
from imports.models import ImportFileResult, ImportRun
from imports.tasks import import_chunk
from tests.legacy_dumps import write_archive
from tests.test_celery import wait_for
from tests.test_legacy_import import analysed_tables, forget_planner_statistics

Status = ImportFileResult.Status


def archive(folder, count: int, *, broken: bool = True):
    list(write_archive(folder, count))
    if broken:
        (folder / "hong.txt").write_text("không phải bản tin", encoding="utf-8")
    return folder


def run_command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_publishingportal", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        err.write(f"\nCommandError: {error}")
    return out.getvalue(), err.getvalue()


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_an_archive_is_imported_in_chunks_on_the_worker(celery_tasks, category, tmp_path):
    folder = archive(tmp_path / "kho", 11)
    stdout, stderr = run_command(folder, "--async", "--chunk-size", "4", "--into", "tin-tuc")

    assert stdout.strip() == "11 imported, 0 updated, 0 unchanged, 1 failed"
    assert "3 khối trên worker Celery" in stderr
    assert "Đã xử lý 12/12 tệp" in stderr  # the progress, as it follows the run
    assert "LỖI hong.txt:1: dòng đầu tiên phải là dấu mốc" in stderr
    assert "CommandError: 1 tệp không nhập được" in stderr
    assert BulletinPage.objects.live().count() == 11

    run = ImportRun.objects.get()
    assert (run.total, run.chunks) == (12, 3)
    results = dict(run.files.values_list("legacy_id", "status"))
    assert results.pop("hong.txt") == Status.FAILED
    assert set(results.values()) == {Status.IMPORTED}
    assert all(row.page_id for row in run.files.exclude(status=Status.FAILED))
    assert "imports.tasks.import_chunk" in celery_tasks.log()

    # Again: the same pages are found unchanged.
    stdout, _ = run_command(folder, "--async", "--chunk-size", "4")
    assert stdout.strip() == "0 imported, 0 updated, 11 unchanged, 1 failed"
    assert BulletinPage.objects.count() == 11


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_chunk_that_fails_is_retried(celery_tasks, category, tmp_path):
    folder = archive(tmp_path / "kho", 6, broken=False)
    run = runs.plan([folder], category, chunk_size=3)
    away = tmp_path / "chua-gan"
    folder.rename(away)  # the archive share is not mounted on the worker yet
    runs.send(run)
    wait_for(
        lambda: "ArchiveUnavailable" in celery_tasks.log() and "Retry in" in celery_tasks.log(),
        "the worker retried the chunk",
    )
    away.rename(folder)
    tally = runs.follow(run, None, on_failure=pytest.fail, timeout=60)
    assert runs.summary(tally) == "6 imported, 0 updated, 0 unchanged, 0 failed"
    assert max(run.files.values_list("attempts", flat=True)) == 1, "files were taken only once"


@pytest.mark.django_db
def test_a_chunk_given_up_reports_each_of_its_files(category, tmp_path):
    folder = archive(tmp_path / "kho", 5, broken=False)
    run = runs.plan([folder], category, chunk_size=3)
    # What Celery calls once the last retry failed.
    import_chunk.on_failure(
        ConnectionError("máy chủ CSDL không trả lời"), "id", (run.pk, 1), {}, None
    )

    reported = []
    tally = runs.follow(run, None, on_failure=reported.append, timeout=0)
    assert (tally[Status.FAILED], tally[Status.PENDING]) == (2, 3)
    assert len(reported) == 2
    assert all("khối 1 không chạy được" in line and "ConnectionError" in line for line in reported)


@pytest.mark.django_db
def test_a_run_whose_last_chunk_is_given_up_refreshes_sqlites_planner_statistics(
    category, tmp_path
):
    """As the synchronous importer does when it ends (tests/test_legacy_import.py)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum keeps its statistics")
    forget_planner_statistics()
    folder = archive(tmp_path / "kho", 5, broken=False)
    run = runs.plan([folder], category, chunk_size=3)
    run_chunk(run.pk, 0)
    assert not analysed_tables(), "a chunk before the last refreshes nothing"
    import_chunk.on_failure(ConnectionError("mất kết nối"), "id", (run.pk, 1), {}, None)
    assert {"wagtailcore_page", "bulletins_bulletinpage"} <= analysed_tables()


@pytest.mark.django_db
@pytest.mark.parametrize("overwrite_edited", [False, True])
def test_a_run_on_the_workers_overwrites_published_edits_only_when_asked(
    category, tmp_path, admin_user, overwrite_edited
):
    folder = tmp_path / "kho"
    ((dump, fake),) = write_archive(folder, 1)
    call_command("import_publishingportal", str(folder), stdout=io.StringIO())
    page = BulletinPage.objects.get()
    page.title = "Tiêu đề do biên tập viên sửa"
    page.save_revision(user=admin_user).publish(user=admin_user)
    dump.write_text(dump.read_text(encoding="utf-8") + "\n\nĐoạn bổ sung.\n", encoding="utf-8")

    run = runs.plan([folder], category, overwrite_edited=overwrite_edited)
    run_chunk(run.pk, 0)
    result = run.files.get()
    page.refresh_from_db()
    if overwrite_edited:
        assert result.status == Status.UPDATED
        assert page.title == fake.title
    else:
        assert result.status == Status.FAILED
        assert "đã được biên tập viên sửa và xuất bản" in result.reason
        assert page.title == "Tiêu đề do biên tập viên sửa"


@pytest.mark.django_db
def test_a_run_on_the_workers_names_each_file_from_its_root(category, tmp_path):
    folder = archive(tmp_path / "kho" / "2023", 2, broken=False)
    one = sorted(folder.rglob("*.txt"))[0]
    run = runs.plan([one], category, root=tmp_path / "kho")
    expected = one.relative_to(tmp_path / "kho").as_posix()
    assert list(run.files.values_list("legacy_id", flat=True)) == [expected]


@pytest.mark.django_db
def test_async_without_redis_is_a_clear_error(category, settings, tmp_path):
    settings.CELERY_BROKER_URL = "memory://"
    shutil.copytree(archive(tmp_path / "kho", 1, broken=False), tmp_path / "ban-sao")
    _, stderr = run_command(tmp_path / "ban-sao", "--async")
    assert "CommandError: --async cần Redis" in stderr
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_follow_an_unknown_run_is_a_clear_error():
    _, stderr = run_command("--follow", "999")
    assert "CommandError: Không có lần nhập nào mang số 999." in stderr
