"""Full-text search over bulletins (or any indexed queryset), Vietnamese-aware, on every backend.

The view, the autocomplete endpoint and the API call these; what the text means is decided in
search.vietnamese and search.query, and the backends in search.backends only carry it out.
"""

import datetime
import logging
import operator
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import reduce

import elastic_transport
import elasticsearch
import opensearchpy
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from modelsearch.backends.base import BaseSearchResults, EmptySearchResults
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Locale, Page, Site

from .query import build_search_query, clean_query, parse_query
from .telex import convert_typing
from .vietnamese import folded_words

logger = logging.getLogger(__name__)

# The last word of an autocomplete query is a prefix; the ones before it are whole words.
MAX_AUTOCOMPLETE_WORDS = 8
# A search answers its first results only (the reader page and the API). Deep pages cost the
# engines most (Elasticsearch refuses offsets past 10,000) and no reader pages that far: past
# this, a narrower query is the way on. The count stops here too, instead of counting most of
# the archive for a common word.
MAX_RESULTS = 1000

UNAVAILABLE_MESSAGE = _(
    "Tìm kiếm tạm thời không hoạt động. Xin vui lòng thử lại sau ít phút; các trang tin vẫn "
    "xem được bình thường."
)


def vietnamese_search(
    queryset: QuerySet,
    raw_query: str,
    order_by: Sequence[str] = (),
    backend: str = "default",
) -> BaseSearchResults:
    """Search `queryset` for what a reader typed, most relevant first or in `order_by` order.

    Diacritics are optional ("tre em" finds "trẻ em"), typed diacritics rank exact spellings
    first, "quoted words" are a phrase, and no input raises: what the backends can't take is
    removed by clean_query.
    """
    query = build_search_query(parse_query(clean_query(raw_query)))
    if query is None:
        return EmptySearchResults()
    if order_by:
        return queryset.order_by(*order_by).search(query, order_by_relevance=False, backend=backend)
    return queryset.search(query, backend=backend)


def vietnamese_search_or_typing(
    queryset: QuerySet,
    raw_query: str,
    order_by: Sequence[str] = (),
    max_results: int | None = None,
) -> tuple[BaseSearchResults, str | None]:
    """vietnamese_search, tried once more as Telex/VNI keys when nothing is found as typed
    ("trer em" → "trẻ em"); returns the results and the conversion searched, if any.

    The results' count is known (cached) on return: callers paginate without another query.
    """

    def search(text: str) -> BaseSearchResults:
        found = vietnamese_search(queryset, text, order_by=order_by)
        return found if max_results is None else found[:max_results]

    found = search(raw_query)
    if not found.count() and (converted := convert_typing(raw_query)) != raw_query:
        retried = search(converted)
        if retried.count():
            return retried, converted
    return found, None


def is_searchable(raw_query: str) -> bool:
    """Whether what was typed has any word left to search once backend syntax is removed."""
    return build_search_query(parse_query(clean_query(raw_query))) is not None


def vietnamese_autocomplete(
    queryset: QuerySet, raw_query: str, backend: str = "default"
) -> BaseSearchResults:
    """Titles that start words as typed so far, with or without diacritics ("bac k" → Bắc Kạn)."""
    folded = folded_words(clean_query(raw_query).replace('"', " "))[:MAX_AUTOCOMPLETE_WORDS]
    if not folded:
        return EmptySearchResults()
    return queryset.autocomplete(" ".join(folded), operator="and", backend=backend)


# Engine down --------------------------------------------------------------------------------


class SearchUnavailable(Exception):
    """The search engine can't answer (unreachable, overloaded, or its index is gone)."""


def is_engine_unavailable(error: BaseException) -> bool:
    """Whether `error` means the engine can't answer now, rather than a fault in our query.

    Connection failures and timeouts, 5xx and 429 answers, and a missing index (an engine
    restarted empty, until `update_index` has run) all mean "try again later".
    """
    if isinstance(error, elastic_transport.TransportError | opensearchpy.ConnectionError):
        return True
    if isinstance(error, elasticsearch.ApiError):
        return error.status_code >= 500 or error.status_code in (404, 429)
    if isinstance(error, opensearchpy.TransportError):
        status = error.status_code
        return not isinstance(status, int) or status >= 500 or status in (404, 429)
    return False


@contextmanager
def engine_guard() -> Iterator[None]:
    """Turn the engine's "can't answer" errors into SearchUnavailable; others pass through."""
    try:
        yield
    except Exception as error:
        if is_engine_unavailable(error):
            logger.warning("Search engine unavailable: %s", error)
            raise SearchUnavailable(str(error)) from error
        raise


# What one site searches ---------------------------------------------------------------------


@dataclass(frozen=True)
class SiteScope:
    """The pages a site serves: under its root page and under the root's translations."""

    roots: tuple[Page, ...]

    @classmethod
    def for_site(cls, site: Site | None) -> "SiteScope":
        if site is None:
            return cls(())
        root = site.root_page
        translations = root.get_translations().select_related("locale").order_by("locale_id")
        return cls((root, *translations))

    def _within(self) -> Q | None:
        if not self.roots:
            return None
        return reduce(operator.or_, (Page.objects.descendant_of_q(r, True) for r in self.roots))

    def _scoped(self, queryset: QuerySet) -> QuerySet:
        within = self._within()
        return queryset.none() if within is None else queryset.filter(within)

    def bulletins(self) -> QuerySet:
        """Live bulletins readers may see (none a view restriction hides), with what a result
        card shows."""
        from bulletins.models import BulletinPage
        from portal.view_restrictions import public_only

        return self._scoped(
            public_only(BulletinPage.objects.live())
            .defer_streamfields()
            .select_related("listing_image")
        )

    def categories(self) -> list[Page]:
        from bulletins.models import BulletinIndexPage

        return list(self._scoped(BulletinIndexPage.objects.live()).order_by("path"))

    def locales(self) -> list[Locale]:
        return list({root.locale_id: root.locale for root in self.roots}.values())


# The reader search --------------------------------------------------------------------------

SORTS = {"relevance": (), "newest": ("-date", "-id")}


@dataclass(frozen=True)
class Filters:
    category: Page | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    locale: Locale | None = None

    def __bool__(self) -> bool:
        return any((self.category, self.date_from, self.date_to, self.locale))

    def apply(self, bulletins: QuerySet) -> QuerySet:
        # Only filter fields the search index holds (path, depth, date, locale), so the same
        # filters work on the database and on the engines.
        if self.category is not None:
            bulletins = bulletins.descendant_of(self.category, inclusive=True)
        if self.date_from is not None:
            bulletins = bulletins.filter(date__gte=self.date_from)
        if self.date_to is not None:
            bulletins = bulletins.filter(date__lte=self.date_to)
        if self.locale is not None:
            bulletins = bulletins.filter(locale=self.locale)
        return bulletins


@dataclass
class SearchOutcome:
    results: PaginatorPage  # the requested page of bulletins, already fetched
    searched_for: str | None  # the Telex/VNI conversion searched instead of the query, if any
    requested_page: int
    terms: frozenset[str] = field(default_factory=frozenset)  # folded words to highlight

    @property
    def page_out_of_range(self) -> bool:
        return self.results.number != self.requested_page


def search_bulletins(
    bulletins: QuerySet,
    query: str,
    *,
    sort: str = "relevance",
    filters: Filters = Filters(),  # noqa: B008 - frozen, never mutated
    page: int = 1,
    per_page: int = 20,
    max_results: int = MAX_RESULTS,
) -> SearchOutcome:
    """One page of the bulletins matching `query`, fetched; raises SearchUnavailable.

    A query that finds nothing as typed is tried once more as Telex/VNI keys
    (vietnamese_search_or_typing). Everything that talks to the engine happens here, inside
    engine_guard, so that callers never meet a lazy result that fails later.
    """
    bulletins = filters.apply(bulletins)
    order_by = SORTS.get(sort, ())
    with engine_guard():
        found, searched_for = vietnamese_search_or_typing(
            bulletins, query, order_by=order_by, max_results=max_results
        )
        results = Paginator(found, per_page).get_page(page)
        results.object_list = list(results.object_list)
    return SearchOutcome(
        results=results,
        searched_for=searched_for,
        requested_page=page,
        terms=frozenset(folded_words(searched_for or query)),
    )


# Search promotions (editor's picks) and the query log -------------------------------------


def log_search(query: str) -> None:
    """Count the query for Wagtail's search promotions report (Query.get normalises it)."""
    Query.get(query).add_hit()


def _promotion_key(text: str) -> str:
    return " ".join(folded_words(text))


def promotions_for(query: str, scope: SiteScope) -> list[SearchPromotion]:
    """The editors' picks for `query`, typed with or without diacritics, in the editors' order.

    A pick made for "học phí" also shows for "hoc phi": readers type both. Picks are few, so
    the promoted queries are compared in Python. Pages that aren't live or belong to another
    site are left out.
    """
    wanted = _promotion_key(query)
    promoted = Query.objects.filter(editors_picks__isnull=False).values_list("pk", "query_string")
    query_ids = {pk for pk, text in promoted.distinct() if _promotion_key(text) == wanted}
    if not wanted or not query_ids:
        return []
    picks = (
        SearchPromotion.objects.filter(query_id__in=query_ids)
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    roots = [root.path for root in scope.roots]
    shown, seen = [], set()
    for pick in picks:
        if pick.page is not None:
            if not (pick.page.live and any(pick.page.path.startswith(r) for r in roots)):
                continue
            key = ("page", pick.page_id)
        else:
            key = ("url", pick.external_link_url)
        if key not in seen:
            seen.add(key)
            shown.append(pick)
    return shown
