"""On PostgreSQL, pg_trgm GIN indexes make the ``LIKE '%…%'`` searches use an index.

The same as articles/migrations/0002: SQLite gives the same results without an index.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS document_search_trgm_idx "
        "ON documents_document USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS document_number_trgm_idx "
        "ON documents_document USING gin (number_normalized gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS document_search_trgm_idx")
    schema_editor.execute("DROP INDEX IF EXISTS document_number_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
