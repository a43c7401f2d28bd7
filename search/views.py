from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, JsonResponse
from django.template.response import TemplateResponse
from wagtail.models import Site

from bulletins.models import BulletinPage

from .query import clean_query
from .searching import vietnamese_autocomplete, vietnamese_search
from .telex import convert_typing

RESULTS_PER_PAGE = 20
# Deep pages cost the engines most (Elasticsearch refuses offsets past 10,000) and no reader
# pages that far: past this, a narrower query is the way on.
MAX_RESULTS = 1000
SUGGESTIONS = 8
SORTS = {"relevance": (), "newest": ("-date", "-id")}
SORT_LABELS = {"relevance": "Liên quan nhất", "newest": "Mới nhất"}


def _site_bulletins(request: HttpRequest):
    """Live bulletins of the request's site, with what a result card shows."""
    bulletins = BulletinPage.objects.live().defer_streamfields().select_related("listing_image")
    site = Site.find_for_request(request)
    if site is not None:
        bulletins = bulletins.descendant_of(site.root_page, inclusive=True)
    return bulletins


def search(request: HttpRequest) -> TemplateResponse:
    """Reader search over the bulletins of the request's site.

    Diacritics are optional, "quoted words" are a phrase, results come most relevant or newest
    first. A query that finds nothing as typed is tried once more as Telex/VNI keys
    ("trer em" → "trẻ em"), and the page says so.
    """
    query = clean_query(request.GET.get("q", ""))
    sort = request.GET.get("sort", "")
    sort = sort if sort in SORTS else "relevance"
    results = searched_for = None
    if query:
        bulletins = _site_bulletins(request)
        found = vietnamese_search(bulletins, query, order_by=SORTS[sort])[:MAX_RESULTS]
        if not found.count() and (converted := convert_typing(query)) != query:
            retried = vietnamese_search(bulletins, converted, order_by=SORTS[sort])[:MAX_RESULTS]
            if retried.count():
                found, searched_for = retried, converted
        results = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    response = TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            "searched_for": searched_for,
            "search_results": results,
            "max_results": MAX_RESULTS,
            "sort": sort,
            "sorts": [
                (key, label, "?" + urlencode({"q": query, "sort": key}))
                for key, label in SORT_LABELS.items()
            ],
            "pagination_query": urlencode({"q": query, "sort": sort}),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def suggest(request: HttpRequest) -> JsonResponse:
    """Titles for the search box as the reader types, with or without diacritics."""
    query = clean_query(request.GET.get("q", ""))
    suggestions = []
    if len(query) >= 2:
        results = vietnamese_autocomplete(_site_bulletins(request), query)[:SUGGESTIONS]
        suggestions = [
            {"title": page.title, "url": page.get_url(request), "date": page.date.isoformat()}
            for page in results
        ]
    response = JsonResponse(
        {"query": query, "suggestions": suggestions}, json_dumps_params={"ensure_ascii": False}
    )
    response["X-Robots-Tag"] = "noindex"
    return response
