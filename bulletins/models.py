import datetime

from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal.routing import TypedChildRoutingMixin
from portal.slugs import AsciiSlugPage

from .blocks import BulletinBodyBlock, new_bulletin_body
from .feeds import BulletinAtomFeed, BulletinRssFeed
from .listing import ArchiveFilter, KnownCountPaginator, category_archive


class BulletinIndexPage(TypedChildRoutingMixin, RoutablePageMixin, AsciiSlugPage):
    """A category (chuyên mục): its bulletins newest first, with a year/month archive."""

    intro = models.TextField("Giới thiệu", blank=True)

    content_panels = AsciiSlugPage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage", "bulletins.BulletinIndexPage"]
    subpage_types = ["bulletins.BulletinPage", "bulletins.BulletinIndexPage"]
    page_description = "Chuyên mục tin: liệt kê các bản tin mới nhất, có lưu trữ theo tháng."

    bulletins_per_page = 20
    routed_child_model = "bulletins.BulletinPage"

    class Meta:
        verbose_name = "Chuyên mục"
        verbose_name_plural = "Chuyên mục"

    def bulletins(self):
        return BulletinPage.objects.for_listing().in_category(self)

    @path("rss/", name="rss")
    def rss_feed(self, request):
        return BulletinRssFeed(self, self.bulletins())(request)

    @path("atom/", name="atom")
    def atom_feed(self, request):
        return BulletinAtomFeed(self, self.bulletins())(request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        archive = ArchiveFilter.from_query(request.GET)
        if archive is None:
            raise Http404("Bộ lọc lưu trữ không hợp lệ.")
        stats = category_archive(self)
        if archive.is_active:
            paginator = Paginator(archive.apply(self.bulletins()), self.bulletins_per_page)
        else:
            paginator = KnownCountPaginator(self.bulletins(), self.bulletins_per_page, stats.count)
        context.update(
            archive=archive,
            archive_years=stats.years,
            archive_months=stats.months_of(archive.year),
            bulletins=paginator.get_page(request.GET.get("page")),
        )
        return context


class BulletinPageQuerySet(PageQuerySet):
    def in_category(self, category: "BulletinIndexPage"):
        """The category's own bulletins, read newest first from the (category, date) index."""
        return self.filter(category=category)

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
    # The parent category, kept beside the tree path: a category's newest bulletins then come
    # straight from an index, instead of sorting every bulletin under a path prefix.
    category = models.ForeignKey(
        BulletinIndexPage,
        verbose_name="Chuyên mục",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
    full_title = models.TextField(
        "Tiêu đề đầy đủ",
        blank=True,
        help_text="Tiêu đề gốc khi dài quá 255 ký tự; tiêu đề trang khi đó là bản rút gọn.",
    )
    # Where an imported bulletin came from (bulletins.legacy): the dump's path relative to the
    # archive root, the checksum of what was imported, and the old portal's address.
    legacy_id = models.CharField(
        "Tệp PublishingPortal",
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        db_index=True,
        help_text="Đường dẫn tệp lưu trữ cũ mà bản tin được nhập từ đó.",
    )
    legacy_checksum = models.CharField("Mã kiểm tra nội dung đã nhập", max_length=64, blank=True)
    legacy_url = models.CharField("Địa chỉ trên cổng cũ", max_length=500, blank=True)

    content_panels = AsciiSlugPage.content_panels + [
        FieldPanel("full_title"),
        FieldPanel("body"),
        InlinePanel("cited_documents", heading="Văn bản được dẫn", label="Văn bản"),
    ]
    promote_panels = AsciiSlugPage.promote_panels + [
        MultiFieldPanel(
            [FieldPanel("is_featured"), FieldPanel("listing_image")], heading="Danh sách tin"
        )
    ]
    settings_panels = AsciiSlugPage.settings_panels + [
        MultiFieldPanel(
            [
                FieldPanel("legacy_id", read_only=True),
                FieldPanel("legacy_url", read_only=True),
                FieldPanel("legacy_checksum", read_only=True),
            ],
            heading="Nguồn PublishingPortal cũ",
        )
    ]
    search_fields = AsciiSlugPage.search_fields + [
        index.SearchField("lead"),
        index.SearchField("author"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.SearchField("full_title"),
        index.RelatedFields(
            "cited_documents", [index.SearchField("number"), index.FilterField("number")]
        ),
        # Vietnamese search (search.vietnamese): the text folded to ASCII, so that "tre em"
        # finds "trẻ em" on every backend, and its diacritics as tokens that rank exact matches.
        index.SearchField("search_title_folded", boost=2),
        index.SearchField("search_title_marked", boost=2),
        index.AutocompleteField("search_title_folded"),
        index.SearchField("search_text_folded"),
        index.SearchField("search_text_marked"),
    ]
    # The legacy identity belongs to the page, not to a copy of it or to one of its revisions.
    legacy_fields = ("legacy_id", "legacy_checksum", "legacy_url")
    exclude_fields_in_copy = list(legacy_fields)
    parent_page_types = ["bulletins.BulletinIndexPage"]
    subpage_types: list[str] = []
    # Wagtail API v2 (/api/v2/pages/?type=bulletins.BulletinPage&search=…, see search.api):
    # `url` is the page's address on its site; listings show these without `fields=`.
    api_fields = [APIField("date"), APIField("lead"), APIField("url")]
    api_listing_default_fields = ["date", "lead", "url"]
    page_description = "Bản tin: tiêu đề, sapo, nội dung và chữ ký tác giả."

    class Meta:
        verbose_name = "Bản tin"
        verbose_name_plural = "Bản tin"
        indexes = [
            models.Index(
                fields=["category", "-date", "-page_ptr"], name="bulletin_category_newest"
            ),
            models.Index(
                fields=["category", "-date", "-page_ptr"],
                condition=models.Q(is_featured=True),
                name="bulletin_featured_newest",
            ),
        ]

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
        # A new row (created, copied) takes its parent as category; moves are followed by
        # bulletins.signals.
        if self.path and (self._state.adding or self.category_id is None):
            self.category_id = self.get_parent().pk
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        # Publishing or reverting to a revision, or syncing an alias, must not bring back an
        # older checksum (the next import would rewrite the page) nor copy the unique legacy_id.
        page = super().with_content_json(content)
        for name in self.legacy_fields:
            setattr(page, name, getattr(self, name))
        return page

    # Shadow fields for Vietnamese search; the analysis lives in search.vietnamese.
    def _search_analysis(self) -> dict[str, str]:
        """The shadow texts, analysed once per content of this instance: modelsearch
        reads every search field several times per document (once per index column), and the
        analysis, not the reading, is what costs."""
        from search.vietnamese import folded_text, marked_text

        key = (self.title, self.full_title, self.body)
        memo = self.__dict__.get("_search_memo")
        if memo is None or memo[0][:2] != key[:2] or memo[0][2] is not key[2]:
            texts = [
                self.full_title,
                *self._meta.get_field("body").get_searchable_content(self.body),
            ]
            memo = (
                key,
                {
                    "title_folded": folded_text(self.title),
                    "title_marked": marked_text(self.title),
                    "text_folded": folded_text(*texts),
                    "text_marked": marked_text(self.title, *texts),
                },
            )
            self.__dict__["_search_memo"] = memo
        return memo[1]

    def search_title_folded(self) -> str:
        return self._search_analysis()["title_folded"]

    def search_title_marked(self) -> str:
        return self._search_analysis()["title_marked"]

    def search_text_folded(self) -> str:
        return self._search_analysis()["text_folded"]

    def search_text_marked(self) -> str:
        return self._search_analysis()["text_marked"]


class CitedDocument(Orderable):
    """An official document a bulletin cites: "Công văn số 1566/UBND-VXNV"."""

    page = ParentalKey(
        BulletinPage,
        on_delete=models.CASCADE,
        related_name="cited_documents",
        verbose_name="Bản tin",
    )
    kind = models.CharField(
        "Loại văn bản", max_length=50, help_text="Ví dụ: Công văn, Quyết định, Kế hoạch."
    )
    number = models.CharField(
        "Số, ký hiệu", max_length=100, db_index=True, help_text="Ví dụ: 1566/UBND-VXNV."
    )

    panels = [FieldPanel("kind"), FieldPanel("number")]

    class Meta(Orderable.Meta):
        verbose_name = "Văn bản được dẫn"
        verbose_name_plural = "Văn bản được dẫn"

    def __str__(self) -> str:
        return f"{self.kind} số {self.number}"
