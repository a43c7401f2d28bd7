"""What goes inside the article: paragraphs, headings, images, quotes, tables, embeds and
attached documents."""

from django.template.loader import render_to_string
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.models import Picture, SourceImageIOError
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.rich_text import RichText, expand_db_html

from ..filesize import human_file_size
from .media import RenditionPrefetchingImageChooserBlock, StoredEmbedBlock

GROUP = "Nội dung bài viết"
PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "superscript"]


# Between the paragraphs of one article while their links are expanded together: never in
# what Draftail stores.
_PARAGRAPH_SEPARATOR = "\x00"


class _ParagraphLinks:
    """The paragraphs of one article, their links (pages, documents) expanded together on first
    render: one lookup per kind of link for the whole article, not one per paragraph."""

    def __init__(self, sources: list[str]):
        self.sources = sources
        self.expanded: list[str] | None = None

    def html(self, index: int) -> str:
        if self.expanded is None:
            expanded = expand_db_html(_PARAGRAPH_SEPARATOR.join(self.sources))
            parts = expanded.split(_PARAGRAPH_SEPARATOR)
            if len(parts) != len(self.sources):  # a separator in the text: one at a time
                parts = [expand_db_html(source) for source in self.sources]
            self.expanded = parts
        return self.expanded[index]


class ParagraphRichText(RichText):
    def __init__(self, source, links: _ParagraphLinks, index: int):
        super().__init__(source)
        self._links, self._index = links, index

    def __html__(self):
        return render_to_string(
            "wagtailcore/shared/richtext.html", {"html": self._links.html(self._index)}
        )


class ParagraphBlock(blocks.RichTextBlock):
    def bulk_to_python(self, values):
        sources = [value or "" for value in values]
        links = _ParagraphLinks(sources)
        return [ParagraphRichText(source, links, index) for index, source in enumerate(sources)]

    class Meta:
        icon = "pilcrow"
        label = "Đoạn văn"
        template = "bulletins/blocks/paragraph.html"
        group = GROUP
        preview_value = "<p>UBND tỉnh yêu cầu các sở, ngành triển khai kịp thời nhiệm vụ.</p>"
        description = "Một đoạn văn của bài viết."


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Tiêu đề mục", max_length=255)
    level = blocks.ChoiceBlock(
        label="Cấp",
        choices=[("h2", "Mục (H2)"), ("h3", "Tiểu mục (H3)"), ("h4", "Ý nhỏ (H4)")],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = "Tiêu đề mục"
        template = "bulletins/blocks/heading.html"
        group = GROUP
        preview_value = {"text": "Nhiệm vụ trọng tâm năm 2024", "level": "h2"}
        description = "Chia bài dài thành các mục có tiêu đề."


# Responsive renditions: WebP for browsers that take it, JPEG otherwise; the browser picks the
# width it needs for the column (760 px wide at most).
IMAGE_WIDTHS = (480, 800, 1200)
IMAGE_FORMATS = ("webp", "jpeg")
IMAGE_SIZES = "(max-width: 800px) 100vw, 760px"


class ImageValue(blocks.StructValue):
    def rendition_widths(self) -> list[int]:
        """The widths worth making: never wider than the original, never the same twice."""
        original = self["image"].width
        return [width for width in IMAGE_WIDTHS if width < original] + [
            min(original, IMAGE_WIDTHS[-1])
        ]

    def picture(self, loading: str = "lazy") -> Picture | None:
        image = self.get("image")
        if image is None:
            return None
        specs = [
            f"format-{fmt}|width-{width}"
            for fmt in IMAGE_FORMATS
            for width in self.rendition_widths()
        ]
        renditions = get_renditions_or_not_found(image, specs)
        attrs = {
            "alt": self.get("alt_text"),
            "sizes": IMAGE_SIZES,
            "loading": loading,
            "decoding": "async",
        }
        # Shown at the largest rendition's size, within the column (CSS max-width): Picture
        # would give the <img> the first, smallest one's, and a 760 px column would show a
        # 480 px image whichever file srcset chose.
        if (largest := renditions[specs[-1]]).width:
            attrs.update(width=largest.width, height=largest.height)
        return Picture(renditions, attrs)

    def share_rendition(self):
        """The JPEG the article already shows at its largest width: for og:image, which not
        every network reads in WebP. None when the image or its file is missing."""
        image = self.get("image")
        if image is None:
            return None
        try:
            return image.get_rendition(f"format-jpeg|width-{self.rendition_widths()[-1]}")
        except SourceImageIOError:  # the original file is gone from storage
            return None


class ImageBlock(blocks.StructBlock):
    image = RenditionPrefetchingImageChooserBlock(label="Ảnh")
    alt_text = blocks.CharBlock(
        label="Mô tả ảnh (alt)",
        max_length=255,
        help_text="Bắt buộc: mô tả nội dung ảnh cho người khiếm thị và trình đọc màn hình.",
    )
    caption = blocks.CharBlock(label="Chú thích", required=False, max_length=500)
    credit = blocks.CharBlock(label="Nguồn ảnh", required=False, max_length=255)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        # The article's first image is usually on screen when the page opens: load it at once;
        # the others only as the reader scrolls to them (ViewDataBlock names the first one).
        first_image = (parent_context or {}).get("first_image")
        context["picture"] = value.picture("eager" if value is first_image else "lazy")
        return context

    class Meta:
        icon = "image"
        label = "Ảnh"
        template = "bulletins/blocks/image.html"
        value_class = ImageValue
        group = GROUP
        preview_value = {
            "alt_text": "Quang cảnh hội nghị",
            "caption": "Quang cảnh hội nghị triển khai nhiệm vụ năm 2024",
            "credit": "Ảnh: Ban Biên tập",
        }
        description = "Ảnh kèm mô tả, chú thích và nguồn."


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="Trích dẫn")
    attribution = blocks.CharBlock(label="Người phát biểu", required=False, max_length=255)

    class Meta:
        icon = "openquote"
        label = "Trích dẫn"
        template = "bulletins/blocks/quote.html"
        group = GROUP
        preview_value = {
            "text": "Phải lấy người dân làm trung tâm phục vụ.",
            "attribution": "Chủ tịch UBND tỉnh",
        }
        description = "Lời phát biểu hoặc đoạn trích dẫn."


class TableContentBlock(TableBlock):
    class Meta:
        icon = "table"
        label = "Bảng"
        template = "bulletins/blocks/table.html"
        group = GROUP
        preview_value = {
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_caption": "Kết quả giải ngân vốn đầu tư công",
            "data": [["Đơn vị", "Tỷ lệ (%)"], ["Sở Giao thông vận tải", "85"], ["Sở Y tế", "78"]],
        }
        description = "Bảng số liệu có tiêu đề cột."


class EmbedContentBlock(StoredEmbedBlock):
    class Meta:
        icon = "media"
        label = "Nhúng (video, bản đồ)"
        template = "bulletins/blocks/embed.html"
        group = GROUP
        preview_value = ""
        description = "Nhúng video hoặc bản đồ từ một địa chỉ (YouTube, Vimeo...)."


class DocumentValue(blocks.StructValue):
    def display_title(self) -> str:
        document = self.get("document")
        return self.get("title") or (document.title if document else "")

    def file_type(self) -> str:
        """The extension readers know the format by: "PDF", "DOCX"."""
        document = self.get("document")
        return document.file_extension.upper() if document else ""

    def file_size(self) -> str:
        """ "1,2 MB", from the size Wagtail stored on upload; read from storage only for a
        document saved before Wagtail stored sizes."""
        document = self.get("document")
        if document is None:
            return ""
        size = document.file_size
        if size is None:
            try:
                size = document.file.size
            except OSError:  # the file is gone: show the link without a size
                return ""
        return human_file_size(size)

    def file_summary(self) -> str:
        """What the link says about the file: "PDF, 1,2 MB"."""
        return ", ".join(part for part in (self.file_type(), self.file_size()) if part)


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Tệp văn bản")
    title = blocks.CharBlock(
        label="Tên hiển thị",
        required=False,
        max_length=255,
        help_text="Để trống để dùng tên của tệp.",
    )

    class Meta:
        icon = "doc-full"
        label = "Văn bản đính kèm"
        template = "bulletins/blocks/document.html"
        group = GROUP
        value_class = DocumentValue
        preview_value = {"title": "Kế hoạch số 45/KH-UBND"}
        description = "Tệp văn bản (PDF, Word...) để bạn đọc tải về."


class ContentStreamBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    heading = HeadingBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    table = TableContentBlock()
    embed = EmbedContentBlock()
    document = DocumentBlock()

    class Meta:
        label = "Nội dung"
