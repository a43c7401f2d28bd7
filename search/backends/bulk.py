"""Bulk indexing into Elasticsearch/OpenSearch in requests of a configurable size.

update_index hands the backend a thousand pages at a time, and the clients' bulk helper sends
them in requests of 500 documents. A bulletin document is large (its text, folded and marked
copies, edge n-grams of the title), and an engine under load could take longer than the
client's timeout to answer one request: at 10,000 bulletins on a busy two-core machine
update_index into the test engine failed that way (docs/benchmarks.md). Smaller requests each
finish within the timeout, and a request the engine refuses as too busy (429) is retried.

Backend options (WAGTAILSEARCH_BACKENDS; portal.settings.base fills them from SEARCH_BULK_*):
BULK_CHUNK_SIZE documents per request, BULK_MAX_RETRIES retries of a 429 answer.
"""

from typing import Any

DEFAULT_BULK_CHUNK_SIZE = 100
DEFAULT_BULK_MAX_RETRIES = 3


class ChunkedBulkMixin:
    """Put before an Elasticsearch/OpenSearch search backend class."""

    def __init__(self, params: dict[str, Any]) -> None:
        self.bulk_chunk_size = int(params.pop("BULK_CHUNK_SIZE", DEFAULT_BULK_CHUNK_SIZE))
        self.bulk_max_retries = int(params.pop("BULK_MAX_RETRIES", DEFAULT_BULK_MAX_RETRIES))
        if self.bulk_chunk_size < 1:
            raise ValueError("BULK_CHUNK_SIZE must be at least 1")
        super().__init__(params)

    def bulk(self, client, actions, **kwargs):
        kwargs.setdefault("chunk_size", self.bulk_chunk_size)
        kwargs.setdefault("max_retries", self.bulk_max_retries)
        return super().bulk(client, actions, **kwargs)
