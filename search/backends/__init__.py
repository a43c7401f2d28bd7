"""Search backends for Vietnamese: modelsearch's, with the few changes Vietnamese text needs.

Select them with SEARCH_BACKEND (see portal.settings.base): `database` (SQLite FTS5 or
PostgreSQL), `elasticsearch9` or `opensearch3`.
"""
