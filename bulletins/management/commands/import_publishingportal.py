"""manage.py import_publishingportal PATH [PATH ...] [--into SLUG] [--root FOLDER] [--dry-run]
[--workers N] [--url-map FILE.csv] [--async [--chunk-size N]] | --follow RUN_ID: the command
line around bulletins.legacy.importer, and around imports.runs for an import on the Celery
workers."""

from __future__ import annotations

from argparse import ArgumentTypeError
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from bulletins.legacy.files import count_dumps, outside_root
from bulletins.legacy.importer import run_import
from bulletins.legacy.progress import Progress
from bulletins.legacy.urlmap import UrlMapError, load_url_map
from bulletins.models import BulletinIndexPage


class _RawStream:
    """An OutputWrapper that writes exactly what it is given: no added newline, no colour."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, style_func=str, ending="")

    def flush(self) -> None:
        self.wrapper.flush()


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ArgumentTypeError(f"“{value}” không phải số nguyên dương.")
    return int(value)


def find_category(slug: str | None) -> BulletinIndexPage:
    categories = BulletinIndexPage.objects.order_by("path")
    if slug is None:
        category = categories.first()
        if category is None:
            raise CommandError(
                "Chưa có chuyên mục (BulletinIndexPage) nào để nhập vào: "
                "hãy tạo một chuyên mục trong trang quản trị trước."
            )
        return category
    # Several sites in one install often share slugs ("tin-tuc"): a category is also named by
    # its id or its path in the page tree ("/xa-phieng-la/tin-tuc/"), as listed below.
    if "/" in slug:
        matches = list(categories.filter(url_path=f"/{slug.strip('/')}/")[:10])
    else:
        matches = list(categories.filter(slug=slug)[:10])
        if not matches and slug.isdigit():
            matches = list(categories.filter(pk=int(slug)))
    if not matches:
        known = ", ".join(categories.values_list("slug", flat=True)[:20]) or "chưa có"
        raise CommandError(f"Không có chuyên mục nào có slug “{slug}” (các chuyên mục: {known}).")
    if len(matches) > 1:
        where = ", ".join(f"{page.url_path} (id {page.pk})" for page in matches)
        raise CommandError(
            f"Có nhiều chuyên mục cùng slug “{slug}”: {where}. "
            "Hãy chỉ rõ bằng id hoặc đường dẫn, ví dụ --into "
            f"{matches[0].pk} hoặc --into {matches[0].url_path}."
        )
    return matches[0]


class Command(BaseCommand):
    help = (
        "Nhập các bản tin từ kho lưu trữ PublishingPortal cũ (tệp .txt, một bản tin mỗi tệp) "
        "thành bản tin đã xuất bản. Chạy lại nhiều lần được: tệp không đổi thì bỏ qua."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            metavar="PATH",
            help="Tệp .txt hoặc thư mục (tìm mọi tệp .txt bên trong, kể cả thư mục con).",
        )
        parser.add_argument(
            "--into",
            metavar="CATEGORY_SLUG",
            help=(
                "Chuyên mục nhận bản tin: slug, id hoặc đường dẫn trong cây trang "
                "(/xa-phieng-la/tin-tuc/) (mặc định: chuyên mục đầu tiên)."
            ),
        )
        parser.add_argument(
            "--root",
            type=Path,
            metavar="FOLDER",
            help=(
                "Thư mục gốc của kho: mã mỗi tệp là đường dẫn tính từ thư mục này, để một tệp "
                "nhập lại riêng lẻ (kho/2023/a.txt) vẫn là bản tin đã nhập cùng cả kho."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ đọc và kiểm tra, không ghi gì vào cơ sở dữ liệu.",
        )
        parser.add_argument(
            "--overwrite-edited",
            action="store_true",
            help=(
                "Cập nhật từ tệp đã đổi cả những trang biên tập viên đã sửa và xuất bản "
                "(bản của họ vẫn còn trong lịch sử trang)."
            ),
        )
        parser.add_argument(
            "--workers",
            type=_positive,
            default=1,
            metavar="N",
            help="Số tiến trình phân tích tệp song song (mặc định 1).",
        )
        parser.add_argument(
            "--url-map",
            type=Path,
            metavar="FILE.csv",
            help="CSV hai cột: đường dẫn tệp, địa chỉ cũ; tạo chuyển hướng 301 từ địa chỉ cũ.",
        )

        # --- On the Celery workers (imports app) ---
        parser.add_argument(
            "--async",
            dest="on_workers",
            action="store_true",
            help="Chia kho thành từng khối tệp và nhập trên các worker Celery (cần Redis).",
        )
        parser.add_argument(
            "--chunk-size",
            type=_positive,
            default=200,
            metavar="N",
            help="Số tệp mỗi khối khi nhập trên worker (mặc định 200).",
        )
        parser.add_argument(
            "--follow",
            type=_positive,
            metavar="RUN_ID",
            help="Theo dõi tiếp một lần nhập trên worker đã bắt đầu.",
        )

    def handle(self, *args, **options) -> None:
        if options["follow"]:
            return self._follow_run(options["follow"], options)
        paths: list[Path] = options["paths"]
        if not paths:
            raise CommandError("Hãy cho biết tệp hoặc thư mục cần nhập.")
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError("Không tìm thấy: " + ", ".join(missing))
        root = options["root"]
        if root is not None:
            if not root.is_dir():
                raise CommandError(f"--root phải là một thư mục: {root}")
            if outside := outside_root(paths, root):
                raise CommandError(
                    f"Không nằm trong thư mục gốc {root}: "
                    + ", ".join(str(path) for path in outside)
                )
        category = find_category(options["into"])
        old_paths = {}
        if options["url_map"]:
            try:
                old_paths = load_url_map(options["url_map"])
            except UrlMapError as error:
                raise CommandError(str(error)) from None

        if options["on_workers"]:
            return self._start_run(paths, category, old_paths, options)
        stream = _RawStream(self.stderr)
        progress = Progress(count_dumps(paths), stream, interactive=self.stderr.isatty())
        dry_run = options["dry_run"]
        if options["verbosity"] >= 1:
            mode = " (chạy thử: không ghi gì)" if dry_run else ""
            stream.write(
                f"Nhập {progress.total} tệp vào chuyên mục “{category.title}”{mode}, "
                f"{options['workers']} tiến trình phân tích.\n"
            )
        report = run_import(
            paths,
            category,
            old_paths=old_paths,
            workers=options["workers"],
            dry_run=dry_run,
            overwrite_edited=options["overwrite_edited"],
            root=root,
            progress=progress if options["verbosity"] >= 1 else None,
            on_failure=progress.message,
        )
        if unmatched := report.unmatched_url_map:
            shown = ", ".join(unmatched[:5]) + (" …" if len(unmatched) > 5 else "")
            stream.write(
                f"Cảnh báo: {len(unmatched)} tệp trong url-map không có trong kho đã nhập: "
                f"{shown}\n"
            )
        if report.redirects_created or report.redirects_updated:
            stream.write(
                f"Chuyển hướng từ địa chỉ cũ: {report.redirects_created} tạo mới, "
                f"{report.redirects_updated} cập nhật.\n"
            )
        if report.redirects_kept:
            stream.write(
                f"Giữ nguyên {report.redirects_kept} chuyển hướng từ địa chỉ cũ mà biên tập viên "
                "đã trỏ đi nơi khác.\n"
            )
        if options["verbosity"] >= 2:
            stream.write(
                f"Thời gian: ghi bản tin {report.seconds_writing:.1f} s, "
                f"cập nhật chỉ mục tìm kiếm {report.seconds_indexing:.1f} s.\n"
            )
        self.stdout.write(report.summary())
        if report.failed:
            raise CommandError(
                f"{report.failed} tệp không nhập được (xem các dòng LỖI ở trên); "
                "các tệp khác đã được xử lý."
            )

    # --- On the Celery workers (imports app) ---

    def _start_run(self, paths, category, old_paths, options) -> None:
        from django.conf import settings

        from imports import runs
        from portal.tasks_backend import BROKER_ERRORS

        if options["dry_run"]:
            raise CommandError("--dry-run chỉ chạy tại chỗ, không dùng cùng --async.")
        if settings.CELERY_BROKER_URL.startswith("memory"):
            raise CommandError("--async cần Redis (REDIS_URL) và worker Celery đang chạy.")
        run = runs.plan(
            paths,
            category,
            old_paths=old_paths,
            chunk_size=options["chunk_size"],
            overwrite_edited=options["overwrite_edited"],
            root=options["root"],
        )
        stream = _RawStream(self.stderr)
        stream.write(
            f"Lần nhập {run.pk}: {run.total} tệp vào chuyên mục “{category.title}”, "
            f"{run.chunks} khối trên worker Celery. Dừng lệnh này không dừng việc nhập; "
            f"theo dõi lại bằng --follow {run.pk}.\n"
        )
        try:
            runs.send(run)
        except BROKER_ERRORS as error:
            raise CommandError(
                f"Redis không nhận việc ({error}); chạy lại lệnh khi Redis hoạt động."
            ) from None
        self._follow(run, options)

    def _follow_run(self, run_id: int, options) -> None:
        from imports.models import ImportRun

        run = ImportRun.objects.filter(pk=run_id).first()
        if run is None:
            raise CommandError(f"Không có lần nhập nào mang số {run_id}.")
        self._follow(run, options)

    def _follow(self, run, options) -> None:
        from imports import runs

        stream = _RawStream(self.stderr)
        progress = Progress(run.total, stream, interactive=self.stderr.isatty())
        tally = runs.follow(
            run, progress if options["verbosity"] >= 1 else None, on_failure=progress.message
        )
        self.stdout.write(runs.summary(tally))
        if tally["failed"]:
            raise CommandError(
                f"{tally['failed']} tệp không nhập được (xem các dòng LỖI ở trên); "
                "các tệp khác đã được xử lý."
            )
