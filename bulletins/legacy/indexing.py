"""Search and reference indexing during an import: paused per page, then done in bulk.

How Wagtail 8 indexes on save: `modelsearch.signal_handlers.register_signal_handlers()`
connects `post_save_signal_handler` to `post_save` of every indexed model; the handler enqueues
the django-task `insert_or_update_object_task`, which (with the ImmediateBackend, at once; with
a real task backend, in a worker) indexes that one page. Wagtail's reference index works the
same way (`update_reference_index_on_save` enqueues `update_reference_index_task`) and offers
`disable_reference_index_auto_update()` to pause it.

For ten thousand pages that is ten thousand tasks and, with Elasticsearch, ten thousand HTTP
requests. `import_paused_indexing()` disconnects modelsearch's handler (only the connections it
finds, and puts exactly those back, even on error) and pauses the reference index; the importer
then calls `index_bulletins()` once per committed batch, which sends the batch with the
backend's `add_bulk` (one bulk request for Elasticsearch/OpenSearch, a few statements per batch
for the database backends). The writer records each page's references itself, in the page's own
savepoint, with the page instance it already holds, instead of a task that loads it again.

The pause is process-wide (Django signals are global): run imports as their own command, not
inside a web process.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager

from django.db.models.signals import post_save
from modelsearch.backends import get_search_backends_with_name
from modelsearch.index import get_indexed_models
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update

from bulletins.models import BulletinPage

logger = logging.getLogger(__name__)


@contextmanager
def search_index_updates_paused() -> Iterator[None]:
    """Saves of indexed models enqueue no index task until the block ends."""
    paused = [
        model
        for model in get_indexed_models()
        if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    try:
        yield
    finally:
        for model in paused:
            post_save.connect(post_save_signal_handler, sender=model)


@contextmanager
def import_paused_indexing() -> Iterator[None]:
    """Both per-save indexers paused: the search index and Wagtail's reference index."""
    with ExitStack() as stack:
        stack.enter_context(search_index_updates_paused())
        stack.enter_context(disable_reference_index_auto_update())
        yield


def index_bulletins(page_ids: Iterable[int]) -> None:
    """Add or update these bulletins in every auto-updated search backend, in one bulk call."""
    ids = list(page_ids)
    if not ids:
        return
    pages = list(BulletinPage.get_indexed_objects().filter(pk__in=ids))
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            backend.add_bulk(BulletinPage, pages)
        except Exception:
            # As in modelsearch: an external engine being down must not undo committed pages
            # (`manage.py update_index` catches up); a database backend error is a real error.
            if not backend.catch_indexing_errors:
                raise
            logger.exception(
                "Không cập nhật được chỉ mục tìm kiếm “%s” cho %d bản tin", name, len(ids)
            )
