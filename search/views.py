import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from wagtail.models import Locale, Site

from .forms import SORT_LABELS, SearchForm
from .query import clean_query
from .searching import (
    MAX_RESULTS,
    UNAVAILABLE_MESSAGE,
    SearchUnavailable,
    SiteScope,
    engine_guard,
    is_searchable,
    log_search,
    promotions_for,
    search_bulletins,
    vietnamese_autocomplete,
)

logger = logging.getLogger(__name__)

RESULTS_PER_PAGE = 20
SUGGESTIONS = 8
# Seconds a client should wait before trying a search again when the engine is down.
RETRY_AFTER = 60


def _site_bulletins(request: HttpRequest):
    """Live bulletins of the request's site in the reader's language, as the search page
    searches them (bench/search.py measures exactly this queryset)."""
    return (
        SiteScope.for_site(Site.find_for_request(request))
        .bulletins()
        .filter(locale=Locale.get_active())
    )


def in_reader_language(params, scope: SiteScope):
    """The search parameters, searching the reader's language (/en/tim-kiem/: English) unless
    another language, or every language ("ngon_ngu" left empty), was chosen."""
    if "ngon_ngu" in params:
        return params
    reader_locale = Locale.get_active()
    if all(locale.pk != reader_locale.pk for locale in scope.locales()):
        return params
    params = params.copy()
    params["ngon_ngu"] = reader_locale.language_code
    return params


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    return response


def search(request: HttpRequest) -> HttpResponse:
    """Reader search over the bulletins of the request's site.

    Diacritics are optional, "quoted words" are a phrase, results come most relevant or newest
    first, filtered by category, date range and language. Editors' picks for the query come
    first; the query is logged for them. What the parameters mean is decided in
    search.forms, the searching itself in search.searching.
    """
    scope = SiteScope.for_site(Site.find_for_request(request))
    form = SearchForm(
        in_reader_language(request.GET, scope),
        categories=scope.categories(),
        locales=scope.locales(),
    )
    form_valid = form.is_valid()
    query = form.cleaned_data.get("q", "")
    sort = form.cleaned_data.get("sort", "relevance")
    searchable = is_searchable(query)
    context = {
        "form": form,
        "search_query": query,
        "sort": sort,
        "searched_for": None,
        "search_results": None,
        "max_results": MAX_RESULTS,
        # Submitted, but nothing in it is a word ("", "*", a lone quote).
        "query_blank": form.has_query and not searchable,
    }
    if form_valid and searchable:
        filters = form.filters()
        page = form.cleaned_data["page"]
        try:
            outcome = search_bulletins(
                scope.bulletins(),
                query,
                sort=sort,
                filters=filters,
                page=page,
                per_page=RESULTS_PER_PAGE,
                max_results=MAX_RESULTS,
            )
        except SearchUnavailable:
            response = TemplateResponse(
                request,
                "search/unavailable.html",
                {"search_query": query, "message": UNAVAILABLE_MESSAGE},
                status=503,
            )
            response["Retry-After"] = str(RETRY_AFTER)
            return _noindex(response)
        if page == 1:  # count a search once, not once per page read
            log_search(query)
        context.update(
            searched_for=outcome.searched_for,
            search_results=outcome.results,
            page_out_of_range=outcome.page_out_of_range,
            highlight_terms=outcome.terms,
            filters_active=bool(filters),
            # Picks are for the query itself: not under filters they may not match, and once.
            promotions=promotions_for(query, scope) if page == 1 and not filters else [],
            sorts=[
                (key, label, "?" + form.url_query(sort=key)) for key, label in SORT_LABELS.items()
            ],
            pagination_query=form.url_query(),
            unfiltered_query=form.url_query(
                chuyen_muc=None, tu_ngay=None, den_ngay=None, ngon_ngu=None
            ),
        )
    context["notices"] = form.notices
    return _noindex(TemplateResponse(request, "search/search.html", context))


def suggest(request: HttpRequest) -> JsonResponse:
    """Titles for the search box as the reader types, with or without diacritics."""
    query = clean_query(request.GET.get("q", ""))
    suggestions = []
    if len(query) >= 2:
        bulletins = _site_bulletins(request)
        try:
            with engine_guard():
                results = list(vietnamese_autocomplete(bulletins, query)[:SUGGESTIONS])
        except SearchUnavailable:
            response = JsonResponse(
                {"query": query, "suggestions": [], "message": str(UNAVAILABLE_MESSAGE)},
                status=503,
                json_dumps_params={"ensure_ascii": False},
            )
            response["Retry-After"] = str(RETRY_AFTER)
            return _noindex(response)
        suggestions = [
            {"title": page.title, "url": page.get_url(request), "date": page.date.isoformat()}
            for page in results
        ]
    response = JsonResponse(
        {"query": query, "suggestions": suggestions}, json_dumps_params={"ensure_ascii": False}
    )
    return _noindex(response)
