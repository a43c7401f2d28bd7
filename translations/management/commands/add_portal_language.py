"""`manage.py add_portal_language CODE`: the admin step that follows adding CODE to
PORTAL_LANGUAGES (translations.languages)."""

from django.core.management.base import BaseCommand, CommandError

from translations.languages import UnknownLanguage, add_portal_language, content_language_codes


class Command(BaseCommand):
    help = (
        "Thêm một ngôn ngữ nội dung (đã khai báo trong biến PORTAL_LANGUAGES): tạo locale, "
        "danh mục chuỗi giao diện nếu Django chưa có và bản dịch trang chủ của mỗi site."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="Mã ngôn ngữ, ví dụ: en, tyz (tiếng Tày).")

    def handle(self, *args, code, **options):
        try:
            added = add_portal_language(code)
        except UnknownLanguage as error:
            raise CommandError(
                f"Ngôn ngữ “{error}” chưa có trong PORTAL_LANGUAGES "
                f"(hiện có: {', '.join(content_language_codes())}). Thêm nó vào biến môi trường, "
                f"ví dụ PORTAL_LANGUAGES=vi,en,{error}:Tên ngôn ngữ, rồi chạy lại."
            ) from error
        locale = added.locale
        self.stdout.write(
            f"Ngôn ngữ {locale.get_display_name()} ({locale.language_code}): "
            + ("đã tạo locale" if added.locale_created else "locale đã có")
            + f", {added.home_pages} trang chủ được dịch sang."
        )
        if added.catalogue:
            self.stdout.write(
                f"Đã tạo danh mục chuỗi giao diện {added.catalogue} (chưa dịch): dịch rồi chạy "
                "`manage.py compilemessages`."
            )
