from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import views as sitemap_views
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from home.sitemaps import MultilingualSitemap
from portal import health
from search import views as search_views
from search.api import api_router

SITEMAPS = {"trang": MultilingualSitemap}

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # An index of the sitemap's pages (home.sitemaps: every language, hreflang alternates).
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-xml",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", home_views.robots_txt, name="robots-txt"),
    path("healthz", health.healthz, name="healthz"),
    path("api/v2/", api_router.urls),
    path("", include("stats.urls")),  # view counter beacon (Lượt xem)
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Translations (issue 6): reader pages per language, Vietnamese at the root without a prefix,
# English under /en/ (and any PORTAL_LANGUAGES code under /<code>/). Admin, API, documents,
# sitemap.xml, robots.txt and /healthz above stay unprefixed.
urlpatterns += i18n_patterns(
    path("tim-kiem/", search_views.search, name="search"),
    path("tim-kiem/goi-y/", search_views.suggest, name="search_suggest"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
