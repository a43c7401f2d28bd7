"""The two top-level blocks of a bulletin, mirroring the legacy PublishingPortal web parts."""

import datetime
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext
from wagtail import blocks

from .content import ContentStreamBlock

GROUP = "Bản tin"

# Plain share links: the reader's click opens the network's own share page. Nothing of theirs
# (no SDK script, no iframe, no image) is loaded with the bulletin.
FACEBOOK_SHARE_URL = "https://www.facebook.com/sharer/sharer.php"
ZALO_SHARE_URL = "https://sp.zalo.me/share"


@dataclass(frozen=True)
class ShareLink:
    label: str
    href: str
    kind: str
    opens_new_window: bool


class ToolbarValue(blocks.StructValue):
    def display_date(self, page=None) -> datetime.date | None:
        """A toolbar left without a date shows the page's publication date."""
        return self.get("date") or getattr(page, "date", None)

    def share_links(self, page_url: str, title: str) -> list[ShareLink]:
        if not (self.get("show_share") and page_url):
            return []
        mail_query = f"subject={quote(title)}&body={quote(title + chr(10) + page_url)}"
        return [
            ShareLink(
                "Facebook",
                f"{FACEBOOK_SHARE_URL}?{urlencode({'u': page_url})}",
                "facebook",
                True,
            ),
            ShareLink("Zalo", f"{ZALO_SHARE_URL}?{urlencode({'url': page_url})}", "zalo", True),
            ShareLink(gettext("Gửi thư"), f"mailto:?{mail_query}", "email", False),
        ]


class ToolbarBlock(blocks.StructBlock):
    """Legacy `Block_BanTin_Toolbar`: the publication date and the reader's tools."""

    date = blocks.DateBlock(
        label="Ngày đăng",
        required=False,
        help_text="Để trống để dùng ngày xuất bản lần đầu.",
        format="%d/%m/%Y",
    )
    show_font_size = blocks.BooleanBlock(label="Nút Tăng/Giảm cỡ chữ", required=False, default=True)
    show_print = blocks.BooleanBlock(label="Nút In bài", required=False, default=True)
    show_share = blocks.BooleanBlock(
        label="Nút Chia sẻ",
        required=False,
        default=True,
        help_text="Chia sẻ Facebook, Zalo, gửi thư và sao chép liên kết.",
    )
    show_listen = blocks.BooleanBlock(
        label="Nút Nghe đọc bài",
        required=False,
        default=True,
        help_text="Chỉ hiện trên trình duyệt có giọng đọc tiếng Việt.",
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        parent_context = parent_context or {}
        page = parent_context.get("page")
        request = parent_context.get("request")
        page_url = page.get_full_url(request) if getattr(page, "pk", None) else ""
        context.update(
            display_date=value.display_date(page),
            page_url=page_url,
            share_links=value.share_links(page_url, getattr(page, "title", "")),
        )
        return context

    class Meta:
        icon = "calendar-alt"
        label = "Thanh công cụ bản tin"
        template = "bulletins/blocks/toolbar.html"
        group = GROUP
        form_classname = "struct-block bulletin-toolbar"
        preview_value = {
            "date": datetime.date(2024, 3, 21),
            "show_font_size": True,
            "show_print": True,
            "show_share": True,
            "show_listen": True,
        }
        value_class = ToolbarValue
        description = (
            "Ngày đăng và các nút Tăng/Giảm cỡ chữ, In bài, Chia sẻ, Nghe đọc bài "
            "(Block_BanTin_Toolbar)."
        )


class ViewDataBlock(blocks.StructBlock):
    """Legacy `Block_BanTin_ViewData`: the lead (sapo), the article and the author's signature."""

    lead = blocks.TextBlock(
        label="Sapo (tóm tắt)",
        required=False,
        help_text="Một hai câu tóm tắt, hiện in đậm dưới tiêu đề và trong danh sách tin.",
    )
    content = ContentStreamBlock()
    author = blocks.CharBlock(
        label="Tác giả (chữ ký)",
        required=False,
        max_length=255,
        help_text="Tên tác giả ở cuối bài, ví dụ: Minh Huyền.",
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["first_image"] = next(
            (block.value for block in value.get("content") or [] if block.block_type == "image"),
            None,
        )
        return context

    class Meta:
        icon = "doc-full-inverse"
        label = "Nội dung bản tin"
        template = "bulletins/blocks/view_data.html"
        group = GROUP
        preview_value = {
            "lead": "UBND tỉnh ban hành kế hoạch thực hiện nhiệm vụ trọng tâm năm 2024.",
            "content": [
                ("paragraph", "<p>Các sở, ngành, địa phương triển khai kịp thời kế hoạch.</p>")
            ],
            "author": "Minh Huyền",
        }
        description = "Sapo, các đoạn nội dung và chữ ký tác giả (Block_BanTin_ViewData)."


class BulletinBodyBlock(blocks.StreamBlock):
    toolbar = ToolbarBlock()
    view_data = ViewDataBlock()

    class Meta:
        block_counts = {"toolbar": {"max_num": 1}, "view_data": {"min_num": 1, "max_num": 1}}


def new_bulletin_body() -> list[tuple[str, dict]]:
    """A new bulletin starts with one toolbar and one view-data block, as in the legacy page."""
    return [
        (
            "toolbar",
            {"show_font_size": True, "show_print": True, "show_share": True, "show_listen": True},
        ),
        ("view_data", {"lead": "", "content": [], "author": ""}),
    ]
