"""Vietnamese analysis for Elasticsearch and OpenSearch: index settings and a mapping mixin.

modelsearch's stock mapping leaves text fields on the engine's default analyzer and searches
autocomplete edge n-grams with the `standard` analyzer, which keeps diacritics: "Bắc" then
never meets the folded n-grams of "Bắc Kạn". Here every text field, the `_all_text*` copy
fields included, gets an explicit analyzer (an index-level `default` analyzer would do, but
the test engine ignores it), and autocomplete is searched with a folding analyzer.

`asciifolding` with `preserve_original` indexes "bắc" as both "bắc" and "bac": unaccented
queries match, and a query typed with diacritics matches twice where the spelling is exact,
which ranks it first. Documents are normalised in Python (search.vietnamese.normalise) so that
NFD text and the old tone placement ("hoà") index as NFC "hòa".
"""

from copy import deepcopy
from typing import Any

from modelsearch.utils import deep_update

from ..vietnamese import normalise

TEXT_ANALYZER = "vietnamese_folding"
AUTOCOMPLETE_SEARCH_ANALYZER = "vietnamese_folding_search"
# English pages (translations, issue 6) also fill a field analysed as English: stemmed
# ("conferences" finds "conference"), stop words dropped, and folded, since queries are.
ENGLISH_ANALYZER = "english_folding"

ANALYSIS_SETTINGS: dict[str, Any] = {
    "settings": {
        "analysis": {
            "filter": {
                "vietnamese_asciifolding": {"type": "asciifolding", "preserve_original": True},
                "english_possessive_stemmer": {
                    "type": "stemmer",
                    "language": "possessive_english",
                },
                "english_stop": {"type": "stop", "stopwords": "_english_"},
                "english_stemmer": {"type": "stemmer", "language": "english"},
            },
            "analyzer": {
                TEXT_ANALYZER: {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["lowercase", "vietnamese_asciifolding"],
                },
                # Edge n-grams are indexed folded only (modelsearch's `edgengram_analyzer`), so
                # the query is folded only as well.
                AUTOCOMPLETE_SEARCH_ANALYZER: {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["lowercase", "asciifolding"],
                },
                ENGLISH_ANALYZER: {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [
                        "english_possessive_stemmer",
                        "lowercase",
                        "asciifolding",
                        "english_stop",
                        "english_stemmer",
                    ],
                },
            },
        }
    }
}


def with_vietnamese_analysis(settings: dict[str, Any]) -> dict[str, Any]:
    """A backend's index settings with the Vietnamese analyzers added."""
    return deep_update(deepcopy(settings), deepcopy(ANALYSIS_SETTINGS))


def _set_text_analyzers(properties: dict[str, Any]) -> None:
    for mapping in properties.values():
        if mapping.get("type") == "text":
            mapping.setdefault("analyzer", TEXT_ANALYZER)
        elif mapping.get("type") == "nested":
            _set_text_analyzers(mapping["properties"])


def _normalised(value: Any) -> Any:
    if isinstance(value, str):
        return normalise(value)
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    return value


class VietnameseMappingMixin:
    """Put before an ElasticsearchBaseMapping subclass."""

    edgengram_analyzer_config = {
        "analyzer": "edgengram_analyzer",
        "search_analyzer": AUTOCOMPLETE_SEARCH_ANALYZER,
    }

    def get_parent(self):
        # modelsearch takes the first indexed base as the parent, abstract or not, and asks
        # it for a content type; an abstract page base (portal.slugs.AsciiSlugPage) has none,
        # so indexing a bulletin failed. Walk on to the concrete ancestor (wagtailcore.Page).
        parent = super().get_parent()
        while parent is not None and parent.model._meta.abstract:
            parent = parent.get_parent()
        return parent

    def get_mapping(self) -> dict[str, Any]:
        mapping = super().get_mapping()
        _set_text_analyzers(mapping["properties"])
        return mapping

    def _get_document_field_data(self, field, obj) -> tuple[str, Any, list]:
        name, value, edgengrams = super()._get_document_field_data(field, obj)
        return name, _normalised(value), _normalised(edgengrams)


class LanguageFieldsQueryMixin:
    """Put before a stock search query compiler. A search over every field (the reader's)
    reads modelsearch's `_all_text` copy, analysed as Vietnamese; this adds the fields that
    carry their own language's analyzer (ENGLISH_ANALYZER), so English pages match stemmed."""

    def _remap_fields(self, fields):
        remapped = super()._remap_fields(fields)
        if fields:
            return remapped
        from modelsearch.backends.elasticsearchbase import Field

        for field in self.get_searchable_fields():
            if field.kwargs.get("es_extra", {}).get("analyzer") == ENGLISH_ANALYZER:
                remapped.append(Field(self.mapping.get_field_column_name(field)))
        return remapped


class WholeWordsAutocompleteMixin:
    """Put before a stock autocomplete query compiler. Edge n-grams make every word of the query
    a prefix ("ba k" suggested "Bắc Kạn"); on the database only the last word is (see
    search.searching.vietnamese_autocomplete). The words before it must also be whole words of
    the searchable fields that back the autocomplete fields (for bulletins, the folded title)."""

    def get_inner_query(self):
        inner = super().get_inner_query()
        from modelsearch.query import PlainText

        if self.remapped_fields or not isinstance(self.query, PlainText):
            return inner
        words = self.query.query_string.split()
        if len(words) < 2:
            return inner
        model = self.queryset.model
        names = {field.field_name for field in model.get_autocomplete_search_fields()}
        columns = [
            self.mapping.get_field_column_name(field)
            for field in model.get_searchable_search_fields()
            if field.field_name in names
        ]
        if not columns:
            return inner
        whole = " ".join(words[:-1])
        return {
            "bool": {
                "must": [inner],
                "filter": {
                    "bool": {
                        "should": [
                            {"match": {column: {"query": whole, "operator": "and"}}}
                            for column in columns
                        ],
                        "minimum_should_match": 1,
                    }
                },
            }
        }
