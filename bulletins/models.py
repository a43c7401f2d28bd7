import datetime

from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager, Site
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from portal.csp import allow_frames, reader_policy_applies
from portal.routing import TypedChildRoutingMixin
from portal.slugs import AsciiSlugPage, ascii_slugify
from portal.view_restrictions import (
    CheapViewRestrictionsMixin,
    public_only,
    view_restrictions_exist,
)
from search.backends.analysis import ENGLISH_ANALYZER
from translations.locales import is_english

from .blocks import BulletinBodyBlock, new_bulletin_body
from .blocks.media import stored_frame_origins
from .feeds import BulletinAtomFeed, BulletinRssFeed
from .listing import ArchiveFilter, KnownCountPaginator, category_archive
from .related import reading_suggestions
from .sharing import share_image
from .topics import TopicLink, topic_listing_url


class BulletinIndexPage(
    CheapViewRestrictionsMixin, TypedChildRoutingMixin, RoutablePageMixin, AsciiSlugPage
):
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
        """The live bulletins listed and counted on this page: not those restricted on their
        own (a restriction on the category, or above it, guards this page as a whole)."""
        if self.pk is None:  # the preview of a category not yet created: nothing in it yet
            return BulletinPage.objects.none()
        bulletins = BulletinPage.objects.for_listing().in_category(self)
        if view_restrictions_exist():
            bulletins = bulletins.exclude(view_restrictions__isnull=False)
        return bulletins

    @path("rss/", name="rss")
    def rss_feed(self, request):
        return BulletinRssFeed(self, public_only(self.bulletins()))(request)

    @path("atom/", name="atom")
    def atom_feed(self, request):
        return BulletinAtomFeed(self, public_only(self.bulletins()))(request)

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


class Topic(TagBase):
    """A topic (chủ đề) readers can follow across categories: "Chuyển đổi số", "Phòng chống
    thiên tai". Its own model, so that its slug is ASCII ("chuyen-doi-so", with đ → d)."""

    # taggit's own fields, with Vietnamese labels for the admin; the slug may be left empty
    # (derived from the name) and is folded to ASCII: the topic's address (`chu-de/<slug>/`)
    # takes no other letters.
    name = models.CharField("Tên chủ đề", unique=True, max_length=100)
    slug = models.SlugField(
        "Đường dẫn (slug)",
        unique=True,
        max_length=100,
        allow_unicode=True,  # accepted, then folded by the admin's form (TopicForm)
        blank=True,
        help_text="Để trống để tạo tự động từ tên chủ đề (chữ không dấu).",
    )

    free_tagging = True

    class Meta:
        verbose_name = "Chủ đề"
        verbose_name_plural = "Chủ đề"
        ordering = ["name"]

    def slugify(self, tag, i=None):
        slug = ascii_slugify(tag) or "chu-de"
        return f"{slug}-{i}" if i is not None else slug


class BulletinTopic(ItemBase):
    tag = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="tagged_bulletins", verbose_name="Chủ đề"
    )
    content_object = ParentalKey(
        "bulletins.BulletinPage",
        on_delete=models.CASCADE,
        related_name="tagged_topics",
        verbose_name="Bản tin",
    )

    class Meta:
        verbose_name = "Chủ đề của bản tin"
        verbose_name_plural = "Chủ đề của bản tin"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="bulletin_topic_once")
        ]


class BulletinPageQuerySet(PageQuerySet):
    def in_category(self, category: "BulletinIndexPage"):
        """The category's own bulletins, read newest first from the (category, date) index."""
        return self.filter(category=category)

    def with_topic(self, topic: "Topic"):
        return self.filter(tagged_topics__tag=topic)

    def for_listing(self):
        """Live bulletins, newest first, with what a listing shows and without the body JSON."""
        return (
            self.live()
            .defer_streamfields()
            .select_related("listing_image")
            .prefetch_related("listing_image__renditions")
            .order_by("-date", "-pk")
        )


class BulletinPage(CheapViewRestrictionsMixin, AsciiSlugPage):
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
    topics = ClusterTaggableManager(
        "Chủ đề",
        through=BulletinTopic,
        blank=True,
        help_text="Các chủ đề của bản tin, cách nhau bằng dấu phẩy, ví dụ: Chuyển đổi số.",
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
        FieldPanel("topics"),
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
        # An English page's text again, analysed as English on the engines (stemming).
        index.SearchField("search_text_english", es_extra={"analyzer": ENGLISH_ANALYZER}),
    ]
    # The legacy identity belongs to the page, not to a copy of it or to one of its revisions.
    legacy_fields = ("legacy_id", "legacy_checksum", "legacy_url")
    exclude_fields_in_copy = list(legacy_fields)
    # wagtail-localize: what a translator translates. In the body, every text (lead, paragraphs,
    # headings, image alt texts, captions and credits, quotes, the author's signature) is a
    # segment; dates, heading levels and the toolbar switches are left as they are; images,
    # documents and embeds are kept (a translator may swap one). `date`, `lead` and `author`
    # follow from the translated body. The legacy identity stays with the Vietnamese original.
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("full_title"),
        TranslatableField("body"),
        SynchronizedField("show_in_menus"),
        SynchronizedField("is_featured"),
        SynchronizedField("listing_image"),
        SynchronizedField("cited_documents"),
    ]
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

    def _site_root(self, request) -> Page | None:
        """The request's site root, or its translation, when this page is under it."""
        site = Site.find_for_request(request) if request else None
        if site is None:
            return None
        root = site.root_page
        if self.path.startswith(root.path):
            return root
        # A translation lives under the root's translation (/en/): the ancestor at the root's
        # depth, reached without a query on a routed page (routing cached each parent).
        ancestor = self
        while ancestor.depth > root.depth:
            ancestor = ancestor.get_parent()
        return ancestor if ancestor.translation_key == root.translation_key else None

    def site_root_path(self, request) -> str:
        """The site root's tree path, or the page's top ancestor's outside any site (a preview)."""
        root = self._site_root(request)
        return root.path if root else self.path[: self.steplen * 2]

    def topic_links(self, request, topics) -> list[TopicLink]:
        """Each topic with its listing on this site (HomePage's `chu-de/<slug>/` route). A
        site whose root is a category (a department's, nested under the province's home) has
        no such route: its topics link to the nearest home page above, on that page's site."""
        from django.apps import apps

        home_page = apps.get_model("home", "HomePage")
        root = self._site_root(request)
        if root is not None and not issubclass(root.specific_class or Page, home_page):
            root = home_page.objects.ancestor_of(self).order_by("-depth").first()
            if root is None:
                return []
        root_url = (root.get_url(request) if root else None) or "/"
        return [TopicLink(topic, topic_listing_url(root_url, topic)) for topic in topics]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        topics = list(self.topics.all())
        # Lazy: the template reads them only where its cached fragments are stale.
        context.update(
            topics=topics,
            topic_links=SimpleLazyObject(lambda: self.topic_links(request, topics)),
            suggestions=SimpleLazyObject(
                lambda: reading_suggestions(self, request, [topic.pk for topic in topics])
            ),
            share_image=SimpleLazyObject(lambda: share_image(self, request)),
        )
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if reader_policy_applies(request) and (urls := self.embed_urls()):
            allow_frames(response, stored_frame_origins(urls))
        return response

    def embed_urls(self) -> list[str]:
        """The addresses this bulletin embeds (videos, maps), read from the stored JSON
        without loading the body's images or documents."""
        return [
            block["value"]
            for top in self.body.raw_data
            if top["type"] == "view_data"
            for block in top["value"].get("content") or []
            if block["type"] == "embed" and block["value"]
        ]

    def get_sitemap_urls(self, request=None):
        # A bulletin never published through Wagtail (created in bulk) still has its date: as
        # a datetime, like every other page's lastmod, which the sitemap compares (max()).
        urls = super().get_sitemap_urls(request)
        for url in urls:
            url["lastmod"] = url.get("lastmod") or timezone.make_aware(
                datetime.datetime.combine(self.date, datetime.time.min)
            )
        return urls

    def first_image(self):
        """The article's first image block with an image (an ImageValue), or None."""
        view_data = self._body_block("view_data")
        content = (view_data and view_data.get("content")) or []
        return next(
            (
                block.value
                for block in content
                if block.block_type == "image" and block.value.get("image") is not None
            ),
            None,
        )

    def _body_block(self, block_type: str):
        return next((block.value for block in self.body if block.block_type == block_type), None)

    def sync_from_body(self) -> None:
        toolbar = self._body_block("toolbar")
        view_data = self._body_block("view_data")
        date = toolbar and toolbar.get("date")
        self.date = date or timezone.localdate(self._first_published_in_any_language())
        self.lead = (view_data and view_data.get("lead")) or ""
        self.author = (view_data and view_data.get("author")) or ""

    def _first_published_in_any_language(self) -> datetime.datetime:
        """A toolbar without a date shows when the bulletin was first published: a translation
        published later shows the original's date, not its own."""
        dates = [self.first_published_at] if self.first_published_at else []
        if self.translation_key:
            earliest = (
                Page.objects.filter(translation_key=self.translation_key)
                .exclude(pk=self.pk)
                .aggregate(earliest=models.Min("first_published_at"))["earliest"]
            )
            dates += [earliest] if earliest else []
        return min(dates, default=None) or timezone.now()

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
        # Nor an older category: a revision saved before a move, a copy's revisions (copied
        # from the original's) and an alias's source all name another parent than this page's.
        page.category_id = self.category_id
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

    def search_text_english(self) -> str:
        """The title and text of an English page, for the English-analysed field; empty for
        pages in other languages."""
        if not is_english(self.locale_id):
            return ""
        texts = [self.full_title, *self._meta.get_field("body").get_searchable_content(self.body)]
        return " ".join([self.title, *texts])


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
