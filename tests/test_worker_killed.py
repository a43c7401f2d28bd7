"""A worker killed in the middle of a task does not lose it (acks_late with
reject_on_worker_lost): real `celery worker` processes on the test Redis, on a queue of their
own so the session's worker never takes these tasks, and SIGKILL."""

import os
import signal
import time

import pytest
from django.db import connection

from portal.celery import app
from tests.servers import CeleryWorker, database_url_for

pytestmark = [pytest.mark.celery, pytest.mark.django_db]

QUEUE = "bi-ngat"


def wait_for(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout} s: {what}")
        time.sleep(0.1)


def attempts(log) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


@pytest.fixture
def start_worker(redis_server):
    if connection.vendor != "postgresql":
        pytest.skip("the Celery worker needs the PostgreSQL test database")
    started = []

    def start(name: str, **env) -> CeleryWorker:
        worker = CeleryWorker(
            database_url=database_url_for(connection.settings_dict["NAME"]),
            redis_url=redis_server.url,
            name=name,
            queues=QUEUE,
            env=env,
            killable=True,
        )
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        if worker.process is not None:
            worker.stop()


def send_long_job(log) -> None:
    app.send_task("tests.jobs.long_job", args=[str(log)], queue=QUEUE)


def test_a_task_whose_pool_process_is_killed_runs_again(start_worker, tmp_path):
    worker = start_worker("ngat-tien-trinh")
    log = tmp_path / "attempts"
    send_long_job(log)
    wait_for(lambda: len(attempts(log)) == 1, "the first attempt started")

    os.kill(int(attempts(log)[0]), signal.SIGKILL)  # the pool process running the task

    wait_for(lambda: attempts(log)[-1:] == ["xong"], "a second attempt finished the task")
    first, second, done = attempts(log)
    assert first != second, "it ran again in a new pool process"
    assert "WorkerLostError" in worker.log()
    assert worker.process.poll() is None


def test_a_task_whose_whole_worker_is_killed_runs_on_a_new_worker(start_worker, tmp_path):
    # Unacknowledged tasks go back to the queue once out for the visibility timeout (15 min in
    # production), checked as a worker starts; 2 s here.
    short = {"CELERY_VISIBILITY_TIMEOUT": "2"}
    first_worker = start_worker("bi-giet", **short)
    log = tmp_path / "attempts"
    send_long_job(log)
    wait_for(lambda: len(attempts(log)) == 1, "the first attempt started")

    first_worker.kill()
    assert attempts(log) == attempts(log)[:1], "the killed worker did not finish"
    time.sleep(2.5)

    second_worker = start_worker("thay-the", **short)
    wait_for(lambda: attempts(log)[-1:] == ["xong"], "the new worker ran the task")
    assert "tests.jobs.long_job" in second_worker.log()
