from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import views as sitemap_views
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from portal import health
from search import views as search_views
from search.api import api_router

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("tim-kiem/", search_views.search, name="search"),
    path("sitemap.xml", sitemap_views.sitemap, name="sitemap-xml"),
    path("robots.txt", home_views.robots_txt, name="robots-txt"),
    path("healthz", health.healthz, name="healthz"),
    path("tim-kiem/goi-y/", search_views.suggest, name="search_suggest"),
    path("api/v2/", api_router.urls),
    path("", include("stats.urls")),  # view counter beacon (Lượt xem)
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
