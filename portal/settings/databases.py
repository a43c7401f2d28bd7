"""DATABASES entries from URLs (dj-database-url), SQLite on the portal's own backend."""

import dj_database_url

# Django's SQLite backend, plus planner statistics kept up to date (portal/sqlite_backend).
SQLITE_ENGINE = "portal.sqlite_backend"


def database_from_url(url: str, **options) -> dict:
    config = dj_database_url.parse(url, **options)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["ENGINE"] = SQLITE_ENGINE
    return config
