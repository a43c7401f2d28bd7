from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Site

from bulletins.models import BulletinPage

from .query import clean_query

RESULTS_PER_PAGE = 20


def search(request):
    """Reader search over the bulletins of the request's site."""
    query = clean_query(request.GET.get("q", ""))
    results = None
    if query:
        site = Site.find_for_request(request)
        bulletins = BulletinPage.objects.live()
        if site is not None:
            bulletins = bulletins.descendant_of(site.root_page, inclusive=True)
        results = Paginator(bulletins.search(query), RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
    response = TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            "search_results": results,
            "pagination_query": urlencode({"q": query}),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response
