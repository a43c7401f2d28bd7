"""The search index catches up after the search engine was away.

Wagtail's search (modelsearch) catches an engine's errors while indexing, logs them and goes
on, so publishing works with the engine stopped; but the update is then simply gone, and
retrying the job would not help (it does not fail). So the portal listens to that log
(`MissedUpdateRecorder`, installed by BackgroundConfig) and keeps each missed object in
`MissedIndexUpdate`, in the same transaction as the editor's change. Beat's
`catch_up_search_index`, every minute, asks each engine whether it answers; once it does:

- if an index is missing (an engine restarted empty, or a new cluster), it rebuilds every index
  (`update_index`) and forgets the missed updates, which the rebuild includes;
- otherwise it redoes the missed updates (index again, or remove when the object is gone or
  the failure was a removal).

Idempotent: indexing an object twice changes nothing. A redo that fails again is recorded
again by the same log.
"""

import io
import logging

from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError

from .models import MissedIndexUpdate

logger = logging.getLogger(__name__)

ADDING = "Exception raised while adding"
DELETING = "Exception raised while deleting"


class MissedUpdateRecorder(logging.Handler):
    """On modelsearch's "Exception raised while adding/deleting %r …" log records."""

    def emit(self, record: logging.LogRecord) -> None:
        message = str(record.msg)
        if not message.startswith((ADDING, DELETING)) or not record.args:
            return
        instance = record.args[0]
        meta = getattr(instance, "_meta", None)
        if meta is None or instance.pk is None:
            return
        try:
            MissedIndexUpdate.objects.bulk_create(
                [
                    MissedIndexUpdate(
                        app_label=meta.app_label,
                        model_name=meta.model_name,
                        object_pk=str(instance.pk),
                        removed=message.startswith(DELETING),
                    )
                ],
                update_conflicts=True,
                unique_fields=["app_label", "model_name", "object_pk"],
                update_fields=["removed", "missed_at"],
            )
        except DatabaseError:
            # Inside a transaction that already failed: the editor's change is rolled back too.
            logger.exception("Không ghi lại được cập nhật chỉ mục bị lỡ")


def _engines():
    from modelsearch.backends import get_search_backends_with_name

    for name, backend in get_search_backends_with_name(with_auto_update=True):
        if getattr(backend, "catch_indexing_errors", False):  # an external engine
            yield name, backend


def _answers(backend) -> bool:
    try:
        return bool(backend.es.ping())
    except Exception:  # noqa: BLE001 - any client error means "not yet"
        return False


def _missing_index(backend) -> bool:
    from modelsearch.index import get_indexed_models

    # modelsearch's Index.exists() passes the name positionally, which the Elasticsearch 9
    # client refuses; ask the client directly.
    names = {backend.get_index_for_model(model).name for model in get_indexed_models()}
    return any(not backend.es.indices.exists(index=name) for name in names)


def catch_up() -> int:
    """Returns how many missed updates were redone (or covered by a rebuild); 0 while an engine
    is still away."""
    engines = list(_engines())
    if not engines:
        return 0
    if not all(_answers(backend) for _, backend in engines):
        return 0
    for name, backend in engines:
        if _missing_index(backend):
            logger.warning("Chỉ mục tìm kiếm '%s' không còn: dựng lại toàn bộ.", name)
            latest = MissedIndexUpdate.objects.order_by("-pk").values_list("pk", flat=True).first()
            call_command("update_index", backend_name=name, stdout=io.StringIO())
            # Only those recorded before the rebuild began are covered by it.
            covered = MissedIndexUpdate.objects.filter(pk__lte=latest or 0)
            return covered.delete()[0]
    return _redo_missed_updates()


def _redo_missed_updates(batch_size: int = 500) -> int:
    from modelsearch import index

    done = 0
    for missed in list(MissedIndexUpdate.objects.all()[:batch_size]):
        # Deleted first: a redo that fails again is recorded again by MissedUpdateRecorder.
        MissedIndexUpdate.objects.filter(pk=missed.pk).delete()
        model = apps.get_model(missed.app_label, missed.model_name)
        instance = None if missed.removed else model.objects.filter(pk=missed.object_pk).first()
        if instance is None:
            _remove(missed)
        else:
            index.insert_or_update_object(instance)
        done += 1
    if done:
        logger.info("Đã cập nhật lại %d đối tượng vào chỉ mục tìm kiếm.", done)
    return done


def _remove(missed: MissedIndexUpdate) -> None:
    # The object is gone, so modelsearch's remove_object (which loads it) cannot be used.
    model = apps.get_model(missed.app_label, missed.model_name)
    for name, backend in _engines():
        try:
            backend.delete(model(pk=missed.object_pk))
        except Exception as exc:  # noqa: BLE001 - a document already gone is fine
            if "not_found" in str(exc).lower() or "notfound" in type(exc).__name__.lower():
                continue
            logger.warning("Chưa xóa được %s khỏi chỉ mục '%s': %s", missed, name, exc)
            MissedIndexUpdate.objects.get_or_create(
                app_label=missed.app_label,
                model_name=missed.model_name,
                object_pk=missed.object_pk,
                defaults={"removed": True},
            )
