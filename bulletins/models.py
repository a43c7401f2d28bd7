import datetime

from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal.slugs import AsciiSlugPage

from .blocks import BulletinBodyBlock, new_bulletin_body
from .listing import ArchiveFilter


class BulletinIndexPage(AsciiSlugPage):
    """A category (chuyên mục): its bulletins newest first, with a year/month archive."""

    intro = models.TextField("Giới thiệu", blank=True)

    content_panels = AsciiSlugPage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage", "bulletins.BulletinIndexPage"]
    subpage_types = ["bulletins.BulletinPage", "bulletins.BulletinIndexPage"]
    page_description = "Chuyên mục tin: liệt kê các bản tin mới nhất, có lưu trữ theo tháng."

    bulletins_per_page = 20

    class Meta:
        verbose_name = "Chuyên mục"
        verbose_name_plural = "Chuyên mục"

    def bulletins(self):
        return BulletinPage.objects.for_listing().child_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        archive = ArchiveFilter.from_query(request.GET)
        if archive is None:
            raise Http404("Bộ lọc lưu trữ không hợp lệ.")
        bulletins = self.bulletins()
        paginator = Paginator(archive.apply(bulletins), self.bulletins_per_page)
        context.update(
            archive=archive,
            archive_months=bulletins.dates("date", "month", order="DESC"),
            bulletins=paginator.get_page(request.GET.get("page")),
        )
        return context


class BulletinPageQuerySet(PageQuerySet):
    def for_listing(self):
        """Live bulletins, newest first, with what a listing shows and without the body JSON."""
        return (
            self.live()
            .defer_streamfields()
            .select_related("listing_image")
            .prefetch_related("listing_image__renditions")
            .order_by("-date", "-pk")
        )


class BulletinPage(AsciiSlugPage):
    """A bản tin. Its body mirrors the legacy page: a toolbar block and a view-data block.

    `date`, `lead` and `author` are copied out of the body on every save so that listings,
    feeds, ordering and search read plain columns instead of walking the StreamField JSON.
    """

    objects = PageManager.from_queryset(BulletinPageQuerySet)()

    body = StreamField(BulletinBodyBlock(), default=new_bulletin_body, verbose_name="Nội dung")
    date = models.DateField("Ngày đăng", default=datetime.date.today, db_index=True, editable=False)
    lead = models.TextField("Sapo", blank=True, editable=False)
    author = models.CharField("Tác giả", max_length=255, blank=True, editable=False)
    is_featured = models.BooleanField(
        "Tin nổi bật", default=False, help_text="Hiện ở đầu chuyên mục trên trang chủ."
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="Ảnh đại diện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Ảnh nhỏ trong danh sách tin.",
    )

    content_panels = AsciiSlugPage.content_panels + [FieldPanel("body")]
    promote_panels = AsciiSlugPage.promote_panels + [
        MultiFieldPanel(
            [FieldPanel("is_featured"), FieldPanel("listing_image")], heading="Danh sách tin"
        )
    ]
    search_fields = AsciiSlugPage.search_fields + [
        index.SearchField("lead"),
        index.SearchField("author"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["bulletins.BulletinIndexPage"]
    subpage_types: list[str] = []
    page_description = "Bản tin: tiêu đề, sapo, nội dung và chữ ký tác giả."

    class Meta:
        verbose_name = "Bản tin"
        verbose_name_plural = "Bản tin"

    def _body_block(self, block_type: str):
        return next((block.value for block in self.body if block.block_type == block_type), None)

    def sync_from_body(self) -> None:
        toolbar = self._body_block("toolbar")
        view_data = self._body_block("view_data")
        published = self.first_published_at or timezone.now()
        self.date = (toolbar and toolbar.get("date")) or timezone.localdate(published)
        self.lead = (view_data and view_data.get("lead")) or ""
        self.author = (view_data and view_data.get("author")) or ""

    def clean(self):
        super().clean()
        self.sync_from_body()

    def save(self, *args, **kwargs):
        self.sync_from_body()
        return super().save(*args, **kwargs)
