"""Imports and publishing travel on separate Celery queues, so workers can be scaled by queue."""

import pytest

from portal.celery import app


@pytest.mark.parametrize(
    "task_name, queue",
    [
        ("bulletins.tasks.import_legacy_batch", "imports"),
        ("home.tasks.publish_scheduled_pages", "default"),
        ("background.tasks.flush_pending_tasks", "default"),
        ("django_tasks:modelsearch.tasks.insert_or_update_object_task", "default"),
    ],
)
def test_tasks_go_to_their_queue(task_name, queue):
    route = app.amqp.router.route({}, task_name)
    assert route["queue"].name == queue


def test_a_worker_without_queue_options_consumes_both():
    assert {queue.name for queue in app.amqp.queues.values()} >= {"default", "imports"}
