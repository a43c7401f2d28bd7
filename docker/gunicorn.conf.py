"""gunicorn's settings for the portal's web processes, one file for the image
(docker/Dockerfile) and the benchmark (bench/pages.py): `gunicorn --config
docker/gunicorn.conf.py portal.wsgi`. The command line and GUNICORN_CMD_ARGS override it.

Threads with keep-alive, measured in docs/benchmarks.md (issue 8): a page from the page cache
costs a few tenths of a millisecond of CPU, so with one process per core and no keep-alive
(gunicorn's `sync` default) a reader's time went on opening a connection for every request
and queueing behind another reader's Redis round trip. A thread waiting on Redis or
PostgreSQL lets another run; keep-alive lets a load balancer or CDN reuse its connections.
"""

import os

# One process per core (WEB_CONCURRENCY, which gunicorn reads itself, overrides it).
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or 4)
# Longer than a load balancer's idle timeout is not useful; shorter wastes reconnects.
keepalive = 5
timeout = 30
graceful_timeout = 30
