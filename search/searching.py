"""Full-text search over bulletins (or any indexed queryset), Vietnamese-aware, on every backend.

The view and the autocomplete endpoint call these; what the text means is decided in
search.vietnamese and search.query, and the backends in search.backends only carry it out.
"""

from collections.abc import Sequence

from django.db.models import QuerySet
from modelsearch.backends.base import BaseSearchResults, EmptySearchResults

from .query import build_search_query, clean_query, parse_query
from .vietnamese import folded_words

# The last word of an autocomplete query is a prefix; the ones before it are whole words.
MAX_AUTOCOMPLETE_WORDS = 8


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


def vietnamese_autocomplete(
    queryset: QuerySet, raw_query: str, backend: str = "default"
) -> BaseSearchResults:
    """Titles that start words as typed so far, with or without diacritics ("bac k" → Bắc Kạn)."""
    folded = folded_words(clean_query(raw_query).replace('"', " "))[:MAX_AUTOCOMPLETE_WORDS]
    if not folded:
        return EmptySearchResults()
    return queryset.autocomplete(" ".join(folded), operator="and", backend=backend)
