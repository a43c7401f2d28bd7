from operator import attrgetter

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

from bulletins.feeds import FEED_LENGTH, BulletinAtomFeed, BulletinRssFeed
from bulletins.models import BulletinIndexPage, BulletinPage, Topic
from bulletins.topics import TOPIC_ROUTE_PREFIX
from portal.routing import TypedChildRoutingMixin
from portal.slugs import AsciiSlugPage
from portal.view_restrictions import (
    CheapViewRestrictionsMixin,
    public_only,
    view_restrictions_exist,
)


class HomePage(
    CheapViewRestrictionsMixin, TypedChildRoutingMixin, RoutablePageMixin, AsciiSlugPage
):
    """The root of a site: the featured and latest bulletins of each category."""

    intro = models.TextField("Lời giới thiệu", blank=True)

    content_panels = AsciiSlugPage.content_panels + [FieldPanel("intro")]
    subpage_types = ["bulletins.BulletinIndexPage"]
    page_description = "Trang chủ của một cổng hoặc trang thành phần."

    latest_per_category = 5
    routed_child_model = "bulletins.BulletinIndexPage"
    routed_grandchild_model = "bulletins.BulletinPage"
    grandchild_parent_field = "category"
    grandchild_prefetch = ("topics",)

    class Meta:
        verbose_name = "Trang chủ"
        verbose_name_plural = "Trang chủ"

    def category_sections(self) -> list[dict]:
        """Each live category under this home page, with its featured and latest bulletins;
        none that a view restriction hides: the home page is every reader's."""
        sections = []
        # A site has a few categories: put in tree order here. Ordered by path in SQL, SQLite
        # without planner statistics walked the path index of every page, 16–23 ms at 10,000
        # bulletins; ordered by the category table's key, it reads that table's few rows first
        # (0.03 ms; docs/benchmarks.md). A site grown by editing has statistics only once a
        # connection that read its tables has closed (portal/sqlite_backend).
        categories = public_only(BulletinIndexPage.objects.live().child_of(self)).order_by("pk")
        listed = public_only(BulletinPage.objects.for_listing())  # restrictions read once
        for category in sorted(categories, key=attrgetter("path")):
            bulletins = listed.in_category(category)
            featured = bulletins.filter(is_featured=True).first()
            latest = bulletins.exclude(pk=featured.pk) if featured else bulletins
            sections.append(
                {
                    "category": category,
                    "featured": featured,
                    "latest": list(latest[: self.latest_per_category]),
                }
            )
        return sections

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: read only when the template's cached fragment is stale.
        context["sections"] = SimpleLazyObject(self.category_sections)
        return context

    def site_bulletins(self):
        """Every live bulletin of this site that no view restriction hides, newest first."""
        categories = BulletinIndexPage.objects.live().descendant_of(self)
        return public_only(BulletinPage.objects.for_listing().filter(category__in=categories))

    def newest_bulletins(self, count: int) -> list[BulletinPage]:
        """The site's `count` newest live bulletins that no view restriction hides, newest first.

        One ORDER BY over the whole site sorted every bulletin (590 ms at 100,000 on SQLite):
        each category's newest come from its own (category, date) index instead, one short
        query per category, and the newest of those are the site's."""
        categories = BulletinIndexPage.objects.live().descendant_of(self)
        candidates = []
        live = public_only(BulletinPage.objects.live())  # restrictions read once
        for category_id in categories.values_list("pk", flat=True):
            candidates += (
                live.filter(category_id=category_id)
                .order_by("-date", "-pk")
                .values_list("date", "pk")[:count]
            )
        newest = [pk for _date, pk in sorted(candidates, reverse=True)[:count]]
        pages = BulletinPage.objects.for_listing().in_bulk(newest)
        return [pages[pk] for pk in newest if pk in pages]

    @path("rss/", name="rss")
    def rss_feed(self, request):
        return BulletinRssFeed(self, self.newest_bulletins(FEED_LENGTH))(request)

    @path("atom/", name="atom")
    def atom_feed(self, request):
        return BulletinAtomFeed(self, self.newest_bulletins(FEED_LENGTH))(request)

    # Topics (chủ đề), per site: only this site's live bulletins are listed or counted.
    @path(f"{TOPIC_ROUTE_PREFIX}/", name="topics")
    def topic_index(self, request):
        # Lazy: counted only where the template's cached fragment is stale.
        listed = Q(
            tagged_bulletins__content_object__live=True,
            tagged_bulletins__content_object__path__startswith=self.path,
        )
        if view_restrictions_exist():
            # In the same filter() as the rest, so that only those bulletins are counted.
            site = BulletinPage.objects.live().descendant_of(self)
            listed &= Q(tagged_bulletins__content_object__in=site.public())
        topics = (
            Topic.objects.filter(listed)
            .annotate(bulletin_count=Count("tagged_bulletins"))
            .order_by("name")
        )
        return self.render(
            request,
            context_overrides={"topics": topics},
            template="home/topic_index.html",
        )

    @path(f"{TOPIC_ROUTE_PREFIX}/<slug:topic_slug>/", name="topic")
    def topic_listing(self, request, topic_slug: str):
        topic = get_object_or_404(Topic, slug=topic_slug)
        bulletins = self.site_bulletins().with_topic(topic)
        paginator = Paginator(bulletins, BulletinIndexPage.bulletins_per_page)
        return self.render(
            request,
            context_overrides={
                "topic": topic,
                "bulletins": paginator.get_page(request.GET.get("page")),
            },
            template="home/topic_page.html",
        )

    def get_sitemap_urls(self, request=None):
        # The human sitemap and the topic index are reader pages of their own.
        urls = super().get_sitemap_urls(request)
        if not (urls and urls[0].get("location")):
            return urls
        home = urls[0]
        return urls + [
            {**home, "location": home["location"] + route}
            for route in ("so-do-trang/", f"{TOPIC_ROUTE_PREFIX}/")
        ]

    @path("so-do-trang/", name="sitemap")
    def sitemap_page(self, request):
        """The human sitemap: every category of the site, as a tree."""
        categories = list(BulletinIndexPage.objects.live().descendant_of(self).order_by("path"))
        return self.render(
            request,
            context_overrides={
                "categories": categories,
                "untranslated_categories": self.untranslated_categories(request, categories),
                "page_title": "Sơ đồ trang",
            },
            template="home/sitemap_page.html",
        )

    def untranslated_categories(self, request, categories) -> list:
        """On a translation of the site's home (/en/), the original's live categories that
        have no live version here: listed in their own language rather than left out."""
        site = Site.find_for_request(request)
        original = site.root_page if site else None
        if original is None or original.pk == self.pk:
            return []
        if original.translation_key != self.translation_key:
            return []
        present = {category.translation_key for category in categories}
        originals = (
            BulletinIndexPage.objects.live()
            .descendant_of(original)
            .select_related("locale")
            .order_by("path")
        )
        return [category for category in originals if category.translation_key not in present]


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """What each site (province, department, commune) shows in its header and footer."""

    organisation = models.CharField(
        "Cơ quan chủ quản", max_length=255, blank=True, help_text="Ví dụ: UBND tỉnh Hòa Sơn."
    )
    address = models.CharField("Địa chỉ", max_length=255, blank=True)
    phone = models.CharField("Điện thoại", max_length=64, blank=True)
    email = models.EmailField("Thư điện tử", blank=True)
    editor_in_chief = models.CharField("Chịu trách nhiệm chính", max_length=255, blank=True)
    licence = models.CharField(
        "Giấy phép", max_length=255, blank=True, help_text="Số giấy phép thiết lập trang tin."
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="Ảnh chia sẻ mặc định",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "Hiện khi bản tin không có ảnh được chia sẻ lên mạng xã hội (og:image). Nên dùng "
            "ảnh ngang, rộng ít nhất 1200 px; điền phần mô tả của ảnh để làm chữ thay thế."
        ),
    )

    panels = [
        FieldPanel("organisation"),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")], heading="Liên hệ"
        ),
        MultiFieldPanel(
            [FieldPanel("editor_in_chief"), FieldPanel("licence")], heading="Thông tin pháp lý"
        ),
        FieldPanel("share_image"),
    ]

    class Meta:
        verbose_name = "Thông tin cổng"

    cache_timeout = 60 * 60

    @staticmethod
    def _cache_key(site_id: int) -> str:
        return f"portal-settings:{site_id}"

    @classmethod
    def for_site(cls, site):
        # Read on every page; cached per site and dropped when an editor saves it.
        if site is None:
            return super().for_site(site)
        instance = cache.get(cls._cache_key(site.pk))
        if instance is None:
            instance = super().for_site(site)
            cache.set(cls._cache_key(site.pk), instance, cls.cache_timeout)
        return instance

    @classmethod
    def clear_cache_on_save(cls, instance, **kwargs) -> None:
        cache.delete(cls._cache_key(instance.site_id))

    @classmethod
    def clear_cache_on_image_delete(cls, instance, **kwargs) -> None:
        # Deleting the default sharing image sets share_image to NULL in the database (SET_NULL,
        # an UPDATE that sends no signal): a cached copy would still name the deleted image.
        cache.delete_many([cls._cache_key(pk) for pk in Site.objects.values_list("pk", flat=True)])
