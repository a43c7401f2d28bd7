"""The two top-level blocks of a bulletin, mirroring the legacy PublishingPortal web parts."""

import datetime

from wagtail import blocks

from .content import ContentStreamBlock

GROUP = "Bản tin"


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
    show_share = blocks.BooleanBlock(label="Nút Chia sẻ", required=False, default=True)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        # A toolbar left without a date shows the page's publication date.
        page = (parent_context or {}).get("page")
        context["display_date"] = value.get("date") or getattr(page, "date", None)
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
        }
        description = (
            "Ngày đăng và các nút Tăng/Giảm cỡ chữ, In bài, Chia sẻ (Block_BanTin_Toolbar)."
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
        ("toolbar", {"show_font_size": True, "show_print": True, "show_share": True}),
        ("view_data", {"lead": "", "content": [], "author": ""}),
    ]
