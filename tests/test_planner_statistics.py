"""SQLite's planner statistics on a site that grows by editing, not by import: each connection
leaves statistics for the tables it read as it closes (portal/sqlite_backend)."""

import time

from django.db.utils import ConnectionHandler

from portal.settings.databases import SQLITE_ENGINE, database_from_url
from tests.test_legacy_import import analysed_tables


def create_bulletins(cursor) -> None:
    """A table with an index and enough rows for SQLite to think statistics worth having."""
    cursor.execute("CREATE TABLE bulletin (id INTEGER PRIMARY KEY, category_id INT)")
    cursor.execute("CREATE INDEX bulletin_category ON bulletin (category_id)")
    rows = [(n % 7,) for n in range(500)]
    cursor.executemany("INSERT INTO bulletin (category_id) VALUES (%s)", rows)


def _connection(engine: str, path):
    """A connection of its own to the file at `path`, apart from the test database's."""
    return ConnectionHandler({"default": {"ENGINE": engine, "NAME": str(path)}})["default"]


def test_a_closing_connection_leaves_statistics_for_the_tables_it_read(tmp_path, django_db_blocker):
    path = tmp_path / "portal.sqlite3"
    # A database file of the test's own, not the test database.
    with django_db_blocker.unblock():
        for engine in ("django.db.backends.sqlite3", SQLITE_ENGINE):
            connection = _connection(engine, path)
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
                cursor.execute("DROP TABLE IF EXISTS bulletin")
                create_bulletins(cursor)
                cursor.execute("SELECT count(*) FROM bulletin WHERE category_id = 3")
            connection.close()
            reader = _connection(engine, path)
            analyzed = analysed_tables(reader)
            reader.close()
            # Django's own backend leaves none: that is what the portal's adds.
            assert analyzed == ({"bulletin"} if engine == SQLITE_ENGINE else set())


def test_sqlite_addresses_use_the_portal_backend_and_others_keep_theirs():
    assert database_from_url("sqlite:////srv/portal.sqlite3")["ENGINE"] == SQLITE_ENGINE
    assert (
        database_from_url("postgres://portal:secret@db:5432/portal")["ENGINE"]
        == "django.db.backends.postgresql"
    )


def test_a_connection_closing_while_another_writes_neither_waits_nor_fails(
    tmp_path, django_db_blocker
):
    path = tmp_path / "portal.sqlite3"
    with django_db_blocker.unblock():
        writer, reader = _connection(SQLITE_ENGINE, path), _connection(SQLITE_ENGINE, path)
        with writer.cursor() as cursor:
            create_bulletins(cursor)
        with reader.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM bulletin WHERE category_id = 3")
        writer.set_autocommit(False)
        with writer.cursor() as cursor:
            cursor.execute("INSERT INTO bulletin (category_id) VALUES (1)")  # holds the lock
        started = time.monotonic()
        reader.close()
        assert time.monotonic() - started < 1, "closing must not wait for the writer"
        writer.rollback()
        writer.close()
