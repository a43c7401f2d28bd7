"""OpenSearch 3 with Vietnamese analysis (SEARCH_BACKEND=opensearch3)."""

from modelsearch.backends import opensearch3 as stock

from .analysis import (
    LanguageFieldsQueryMixin,
    VietnameseMappingMixin,
    WholeWordsAutocompleteMixin,
    with_vietnamese_analysis,
)
from .bulk import ChunkedBulkMixin
from .slicing import EmptySliceMixin


class OpenSearch3Mapping(VietnameseMappingMixin, stock.OpenSearch3Mapping):
    pass


class OpenSearch3SearchQueryCompiler(
    LanguageFieldsQueryMixin, stock.OpenSearch3SearchQueryCompiler
):
    mapping_class = OpenSearch3Mapping


class OpenSearch3AutocompleteQueryCompiler(
    WholeWordsAutocompleteMixin, stock.OpenSearch3AutocompleteQueryCompiler
):
    mapping_class = OpenSearch3Mapping


class OpenSearch3SearchResults(EmptySliceMixin, stock.OpenSearch3SearchResults):
    pass


class OpenSearch3SearchBackend(ChunkedBulkMixin, stock.OpenSearch3SearchBackend):
    mapping_class = OpenSearch3Mapping
    query_compiler_class = OpenSearch3SearchQueryCompiler
    autocomplete_query_compiler_class = OpenSearch3AutocompleteQueryCompiler
    results_class = OpenSearch3SearchResults
    settings = with_vietnamese_analysis(stock.OpenSearch3SearchBackend.settings)


SearchBackend = OpenSearch3SearchBackend
