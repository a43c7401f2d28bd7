"""Elasticsearch 9 with Vietnamese analysis (SEARCH_BACKEND=elasticsearch9)."""

from modelsearch.backends import elasticsearch9 as stock

from .analysis import (
    LanguageFieldsQueryMixin,
    VietnameseMappingMixin,
    WholeWordsAutocompleteMixin,
    with_vietnamese_analysis,
)
from .bulk import ChunkedBulkMixin
from .slicing import EmptySliceMixin


class Elasticsearch9Mapping(VietnameseMappingMixin, stock.Elasticsearch9Mapping):
    pass


class Elasticsearch9SearchQueryCompiler(
    LanguageFieldsQueryMixin, stock.Elasticsearch9SearchQueryCompiler
):
    mapping_class = Elasticsearch9Mapping


class Elasticsearch9AutocompleteQueryCompiler(
    WholeWordsAutocompleteMixin, stock.Elasticsearch9AutocompleteQueryCompiler
):
    mapping_class = Elasticsearch9Mapping


class Elasticsearch9SearchResults(EmptySliceMixin, stock.Elasticsearch9SearchResults):
    pass


class Elasticsearch9SearchBackend(ChunkedBulkMixin, stock.Elasticsearch9SearchBackend):
    mapping_class = Elasticsearch9Mapping
    query_compiler_class = Elasticsearch9SearchQueryCompiler
    autocomplete_query_compiler_class = Elasticsearch9AutocompleteQueryCompiler
    results_class = Elasticsearch9SearchResults
    settings = with_vietnamese_analysis(stock.Elasticsearch9SearchBackend.settings)


SearchBackend = Elasticsearch9SearchBackend
