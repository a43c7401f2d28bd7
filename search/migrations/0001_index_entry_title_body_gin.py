"""A GIN index on the search index entries' `title || body` (PostgreSQL only).

modelsearch's PostgreSQL backend matches a query against `title || body`, which neither of
its GIN indexes (one on title, one on body) serves: every search read every entry's vectors,
about 2 s per query at 10,000 bulletins (docs/benchmarks.md). SQLite uses FTS5 instead.
"""

from django.db import migrations

INDEX = "search_entry_title_body_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin ((title || body))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create_index, drop_index)]
