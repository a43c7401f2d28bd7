"""Reader traffic to the PostgreSQL read replica, everything else to the primary.

Enabled by production settings when DATABASE_REPLICA_URL is set. A request counts as reader
traffic when it is a GET or HEAD outside the admin from someone without a session cookie: an
anonymous reader, who can live with the replica's lag of a second or so. Editors (they carry a
session), every write, Celery tasks and management commands read from the primary, so an editor
always sees what was just saved.
"""

from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
PRIMARY = "default"

# Editors' pages: never from the replica, even before they log in.
EDITOR_PATHS = ("/admin/", "/django-admin/")

reading_for_a_reader: ContextVar[bool] = ContextVar("reading_for_a_reader", default=False)


def is_reader_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(EDITOR_PATHS):
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


class ReaderTrafficMiddleware:
    """Marks the request's reads as reader traffic for ReaderReplicaRouter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = reading_for_a_reader.set(is_reader_request(request))
        try:
            return self.get_response(request)
        finally:
            reading_for_a_reader.reset(token)


class ReaderReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if reading_for_a_reader.get() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Migrations run on the primary; the replica follows by replication.
        return db == PRIMARY
