from django.conf import settings
from django.http import HttpResponse


def robots_txt(request):
    """Readers' pages are open to search engines; the admin and search results are not."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /tim-kiem/",
        # The search page of every other content language (/en/tim-kiem/).
        *(
            f"Disallow: /{code}/tim-kiem/"
            for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
            if code != settings.LANGUAGE_CODE
        ),
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
