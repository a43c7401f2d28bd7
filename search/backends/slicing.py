"""An empty slice of an engine's results is empty.

modelsearch's Elasticsearch and OpenSearch results ask the engine for `limit or 100` hits, so a
slice that holds nothing (the API's offset past a capped search: `results[:1000][1000:1020]`)
came back with up to 100 hits from past its end.
"""


class EmptySliceMixin:
    """Put before a stock search results class."""

    def _do_search(self):
        if self.stop is not None and self.stop <= self.start:
            return []
        return super()._do_search()
