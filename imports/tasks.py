from celery import Task, shared_task

from . import chunks
from .models import ImportRun

# A chunk that fails (database restarting, archive share not mounted yet) is retried after
# about 2, 4, 8 … s, at most a minute apart, 6 times; then its files are reported failed.
CHUNK_MAX_RETRIES = 6


class ChunkTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        run_id, chunk = args
        chunks.give_up(run_id, chunk, exc)


@shared_task(
    base=ChunkTask,
    ignore_result=True,
    acks_late=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(ImportRun.DoesNotExist,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=CHUNK_MAX_RETRIES,
)
def import_chunk(run_id: int, chunk: int) -> int:
    """One chunk of `import_publishingportal --async` (see imports.chunks)."""
    return chunks.run_chunk(run_id, chunk)
