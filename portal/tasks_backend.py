"""Wagtail's own django-tasks jobs (search index, reference index, image tasks) on Celery.

django-tasks-fennel does the Celery side: each django-task is registered on the workers as a
Celery task named `django_tasks:<module path>` that runs it. This backend adds what the portal
needs around it:

- a job leaves only when the transaction commits (django-tasks 0.12 has no ENQUEUE_ON_COMMIT,
  and modelsearch queues its index update from `post_save`, inside the editor's transaction),
  so a worker never loads a page that is not saved yet;
- when Redis cannot take a job, it is kept in the database (`background.PendingTask`) and sent
  later, instead of failing the editor's request;
- on the worker, a failed job is retried with exponential backoff.

The embedded default keeps django-tasks' ImmediateBackend: jobs run in the request.
"""

import json
import logging
import time

from celery import current_app
from celery.app.autoretry import add_autoretry_behaviour
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_fennel import backend as fennel
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What sending raises when Redis is away: kombu wraps most errors, redis-py and sockets the rest.
BROKER_ERRORS = (OperationalError, RedisError, OSError)

# A failed job is retried after about 1, 2, 4 … s, at most 10 minutes apart, 8 times (~17 min):
# long enough to ride out a search engine restart.
JOB_MAX_RETRIES = 8
JOB_RETRY_BACKOFF_MAX = 600

# After a failed send, jobs go straight to the outbox for a while: a publish queues several
# jobs, and each would otherwise wait on Redis's timeouts again. Process-wide on purpose.
_broker_down_until = 0.0


def publish(
    task_path: str,
    args,
    kwargs,
    *,
    task_id: str,
    queue_name: str,
    priority: int,
    run_after=None,
) -> None:
    """Send one django-task to the workers, in django-tasks-fennel's message format (built with
    fennel 0.1's own helpers, hence the `<0.2` pin), under a task id chosen by the caller so
    that a job sent again from the outbox keeps its id."""
    options = {
        "task_id": task_id,
        "eta": run_after,
        "priority": fennel._map_priority(priority),
        "headers": {fennel.DJANGO_TASKS_PRIORITY_HEADER: priority},
        # Nothing reads these results; keeping them would make each web process subscribe to
        # one Redis channel per job (Celery's result consumer), without end.
        "ignore_result": True,
    }
    if queue_name:
        options["queue"] = queue_name
    current_app.send_task(
        fennel._to_celery_name(task_path), args=list(args), kwargs=dict(kwargs), **options
    )


class Task(fennel.Task):
    """fennel's task, retried with backoff on the worker (fennel registers it without retries).
    A job whose object is gone (deleted before the worker got to it) is not retried."""

    def __post_init__(self) -> None:
        super().__post_init__()
        celery_task = current_app.tasks[fennel._to_celery_name(self.module_path)]
        if not hasattr(celery_task, "_orig_run"):  # `using()` copies share one Celery task
            celery_task.max_retries = JOB_MAX_RETRIES
            add_autoretry_behaviour(
                celery_task,
                autoretry_for=(Exception,),
                dont_autoretry_for=(ObjectDoesNotExist,),
                retry_backoff=True,
                retry_backoff_max=JOB_RETRY_BACKOFF_MAX,
                retry_jitter=True,
            )


class CeleryBackend(fennel.CeleryBackend):
    """TASKS backend: `{"BACKEND": "portal.tasks_backend.CeleryBackend", "QUEUES": ["default"],
    "OPTIONS": {"BROKER_RETRY_AFTER": 10}}`."""

    task_class = Task
    supports_get_result = False  # results are not kept (see `publish`)

    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        self.broker_retry_after = float(self.options.get("BROKER_RETRY_AFTER", 10))

    def enqueue(self, task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        if self._already_waiting(result):
            return result
        # Outside a transaction this runs at once; robust: a failure is logged, never raised
        # into the request after its data is committed.
        transaction.on_commit(self._sender(result), robust=True)
        return result

    # Each save queues the same jobs again (a publish saves a page three times): inside one
    # transaction, a job with the same task and arguments is sent once, at commit. Jobs load
    # their object when they run, so one run after the commit does what three would.
    def _job_key(self, result: TaskResult) -> str:
        task = result.task
        arguments = json.dumps([result.args, result.kwargs], sort_keys=True, default=str)
        return f"{task.module_path}|{task.queue_name}|{task.priority}|{task.run_after}|{arguments}"

    def _already_waiting(self, result: TaskResult) -> bool:
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            return False
        waiting = getattr(connection, "_portal_waiting_jobs", {})
        callback = waiting.get(self._job_key(result))
        # Still queued for this commit (a rolled-back savepoint drops its callbacks).
        return callback is not None and any(
            queued is callback for _, queued, _ in connection.run_on_commit
        )

    def _sender(self, result: TaskResult):
        connection = transaction.get_connection()
        key = self._job_key(result)

        def send() -> None:
            getattr(connection, "_portal_waiting_jobs", {}).pop(key, None)
            self.send(result)

        if connection.in_atomic_block:
            if not hasattr(connection, "_portal_waiting_jobs"):
                connection._portal_waiting_jobs = {}
            connection._portal_waiting_jobs[key] = send
        return send

    def send(self, result: TaskResult) -> bool:
        """Hand the job to Redis, or keep it in the outbox. True when Redis took it."""
        global _broker_down_until
        from background import outbox

        task = result.task
        job = {
            "task_path": task.module_path,
            "args": result.args,
            "kwargs": result.kwargs,
            "task_id": result.id,
            "queue_name": task.queue_name,
            "priority": task.priority,
            "run_after": task.run_after,
        }
        if time.monotonic() < _broker_down_until:
            outbox.keep(**job, error="Redis vừa không trả lời; chưa thử lại.")
            return False
        try:
            publish(**job)
        except BROKER_ERRORS as exc:
            _broker_down_until = time.monotonic() + self.broker_retry_after
            outbox.keep(**job, error=f"{type(exc).__name__}: {exc}")
            return False
        object.__setattr__(result, "enqueued_at", timezone.now())
        task_enqueued.send(type(self), task_result=result)
        outbox.flush_soon_if_waiting()
        return True

    def get_result(self, result_id: str) -> TaskResult:
        return BaseTaskBackend.get_result(self, result_id)

    def check(self, **kwargs):
        # fennel's own checks ask for a result backend, result_extended and an AMQP broker for
        # priorities: none apply, results are not kept and Wagtail's jobs share one priority.
        yield from BaseTaskBackend.check(self, **kwargs)


def forget_broker_failure() -> None:
    """Try Redis again on the next job (tests, and after an operator restarts Redis)."""
    global _broker_down_until
    _broker_down_until = 0.0
