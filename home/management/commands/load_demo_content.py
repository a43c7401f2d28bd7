"""Demo content for the embedded default: a home page, categories and bulletins written for
this project, then the search index. Running it again changes nothing that is already there."""

import datetime
import io
import json
import os
from collections import defaultdict
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from bulletins.body import bulletin_body, paragraph_html, stream_block
from bulletins.models import BulletinIndexPage, BulletinPage
from home.demo_media import ensure_document, ensure_picture
from home.models import HomePage, PortalSettings
from translations.demo import ensure_demo_translations

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "bulletins.json"
DEMO_ADMIN_USERNAME = "admin"
DEMO_SITE_NAME = "Cổng thông tin điện tử tỉnh Hòa Sơn"


class Command(BaseCommand):
    help = "Tải nội dung mẫu (trang chủ, chuyên mục, bản tin) và tài khoản quản trị demo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-admin", action="store_true", help="Không tạo tài khoản quản trị demo."
        )

    def handle(self, *args, **options):
        data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        with transaction.atomic():
            home = self.ensure_home()
            created = 0
            for category_data in data["categories"]:
                category = self.ensure_category(home, category_data)
                for bulletin_data in category_data["bulletins"]:
                    created += self.ensure_bulletin(category, bulletin_data, data["media"])
        self.stdout.write(f"Nội dung mẫu: {created} bản tin mới, trang chủ “{home.title}”.")
        # The demo shows the real editorial flow: editors submit, the editorial board approves.
        call_command("setup_editorial_workflow", verbosity=0, stdout=io.StringIO())
        # Translations (issue 6): English versions of a few pages and the translators' group.
        english = ensure_demo_translations(home)
        self.stdout.write(f"Bản tiếng Anh: {english} trang mới dịch.")
        call_command("update_index", verbosity=0)
        if not options["no_admin"]:
            self.ensure_admin()

    def ensure_home(self) -> HomePage:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site and isinstance(site.root_page.specific, HomePage):
            return site.root_page.specific
        root = Page.get_first_root_node()
        home = HomePage.objects.child_of(root).first()
        if home is None:
            home = root.add_child(
                instance=HomePage(
                    title="Trang chủ",
                    slug="trang-chu",
                    intro="Thông tin chỉ đạo, điều hành và hoạt động của tỉnh Hòa Sơn.",
                )
            )
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True)
        welcome_page = site.root_page if site.pk else None
        site.root_page = home
        site.site_name = DEMO_SITE_NAME
        site.save()
        # Wagtail's installation leaves a "Welcome" page as the site root; the demo replaces it.
        if welcome_page and type(welcome_page.specific) is Page and not welcome_page.get_children():
            welcome_page.delete()
        PortalSettings.objects.update_or_create(
            site=site,
            defaults={
                "organisation": "UBND tỉnh Hòa Sơn",
                "address": "Số 1 đường Trần Hưng Đạo, phường Trung Tâm, tỉnh Hòa Sơn",
                "phone": "0200 3870 000",
                "email": "banbientap@hoason.gov.vn",
                "editor_in_chief": "Chánh Văn phòng UBND tỉnh",
                "licence": "Giấy phép số 01/GP-TTĐT (dữ liệu mẫu)",
            },
        )
        return home

    def ensure_category(self, home: HomePage, data: dict) -> BulletinIndexPage:
        category = BulletinIndexPage.objects.child_of(home).filter(slug=data["slug"]).first()
        if category:
            return category
        category = BulletinIndexPage(
            title=data["title"], slug=data["slug"], intro=data["intro"], show_in_menus=True
        )
        home.add_child(instance=category)
        category.save_revision().publish()
        return category

    def ensure_bulletin(self, category: BulletinIndexPage, data: dict, media: dict) -> int:
        if BulletinPage.objects.child_of(category).filter(title=data["title"]).exists():
            return 0
        date = datetime.date.fromisoformat(data["date"])
        bulletin = BulletinPage(
            title=data["title"],
            is_featured=data.get("featured", False),
            listing_image=(
                self.picture(data["listing_picture"], media) if "listing_picture" in data else None
            ),
            first_published_at=timezone.make_aware(
                datetime.datetime.combine(date, datetime.time(8, 0))
            ),
            body=bulletin_body(
                date=date,
                lead=data["lead"],
                content=self.article_content(data, media),
                author=data["author"],
            ),
        )
        bulletin.topics.add(*data.get("topics", []))
        category.add_child(instance=bulletin)
        revision = bulletin.save_revision(log_action=True)
        revision.publish(log_action=True)
        return 1

    def article_content(self, data: dict, media: dict) -> list[dict]:
        """The bulletin's paragraphs, each followed by the data's other blocks (a picture, a
        quote, a table, an attached document) placed `after` it."""
        placed = defaultdict(list)
        for block in data.get("blocks", []):
            placed[block["after"]].append(
                stream_block(block["type"], self.block_value(block, media))
            )
        content = placed[0]
        for number, text in enumerate(data["paragraphs"], start=1):
            content += [stream_block("paragraph", paragraph_html(text)), *placed[number]]
        return content

    def block_value(self, block: dict, media: dict):
        """A block's value, its picture or document made first when it has one."""
        if picture := block.get("picture"):
            return {**block["value"], "image": self.picture(picture, media).pk}
        if attachment := block.get("attachment"):
            document = ensure_document(**media["attachments"][attachment])
            return {**block["value"], "document": document.pk}
        return block["value"]

    def picture(self, name: str, media: dict):
        picture = media["pictures"][name]
        return ensure_picture(picture["title"], picture["scene"])

    def ensure_admin(self) -> None:
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "quantri-demo")
        user, _ = get_user_model().objects.update_or_create(
            username=DEMO_ADMIN_USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.org"},
        )
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                "Đăng nhập quản trị: http://127.0.0.1:8000/admin/ "
                f"— tài khoản: {DEMO_ADMIN_USERNAME}, mật khẩu: {password}"
            )
        )
