"""sitemap.xml of the request's site in every language: each live page of the site's root and
of its translations, with the page's other live language versions as hreflang alternates
(`<xhtml:link rel="alternate">`) and `x-default` naming the portal's default language's version,
as search engines expect and as each page's own head says
(translations.templatetags.language_switcher).

/sitemap.xml is an index of pages of `limit` URLs (/sitemap-trang.xml?p=N). One list of every
page does not scale to an archive: past Django's limit of 50,000 URLs pages went unlisted, and
the one list of a 10,000-bulletin archive took 7–8 s (docs/benchmarks.md), so 50,000 would
outlast the web worker's 30 s timeout."""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Count, Max, Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class MultilingualSitemap(Sitemap):
    limit = 5000

    def _site_pages(self):
        """Live, public pages under the site's root or any translation of it."""
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key).values_list(
            "path", flat=True
        )
        under_a_root = reduce(or_, (Q(path__startswith=path) for path in roots))
        return Page.objects.filter(under_a_root).live().public()

    def get_latest_lastmod(self):
        # For the index: Django's default loads every page to find it.
        return self._site_pages().aggregate(latest=Max("last_published_at"))["latest"]

    def items(self):
        return self._site_pages().order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        urls = []
        last_mods = set()
        pages = list(self.paginator.page(page).object_list)
        versions = self._language_versions({page.translation_key for page in pages})
        for item in pages:
            alternates = versions.get(item.translation_key, [])
            # Most pages have no translation: their own address is then not needed twice.
            own_url = (item.get_full_url(self.request) or "") if alternates else ""
            for url_info in item.get_sitemap_urls(self.request):
                # A route of the page (the home's /so-do-trang/) has the same route as alternates.
                location = url_info["location"]
                if own_url and location.startswith(own_url):
                    suffix = location[len(own_url) :]
                    url_info["alternates"] = [
                        {**alternate, "location": alternate["location"] + suffix}
                        for alternate in alternates
                    ]
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls

    def _language_versions(self, translation_keys) -> dict:
        """The live versions on this site of each translation key that has more than one:
        [{lang_code, location}, …]. A key with one version has no alternates to list."""
        site_pages = self._site_pages()
        # The keys with another live version, counted in the database: the pages of a sitemap
        # page without translations (most of them) are then not read a second time.
        translated = (
            site_pages.filter(translation_key__in=translation_keys)
            .order_by()
            .values("translation_key")
            .annotate(versions=Count("pk"))
            .filter(versions__gt=1)
            .values("translation_key")
        )
        pages = (
            site_pages.filter(translation_key__in=translated)
            .select_related("locale")
            # An address and a language are all that is read.
            .only("translation_key", "url_path", "locale__language_code")
            .order_by("locale__language_code")
        )
        by_key = {}
        for version in pages:
            by_key.setdefault(version.translation_key, []).append(version)
        versions = {}
        for key, pages_of_key in by_key.items():
            alternates = [
                {"lang_code": version.locale.language_code, "location": location}
                for version in pages_of_key
                if (location := version.get_full_url(self.request))
            ]
            if len(alternates) < 2:
                continue
            default = next(
                (v for v in alternates if v["lang_code"] == settings.LANGUAGE_CODE), None
            )
            if default is not None:
                alternates.append({**default, "lang_code": "x-default"})
            versions[key] = alternates
        return versions
