"""A GIN index on the folded title's words (PostgreSQL only).

Search lists title matches first (``ArticleQuerySet.search_pages``): they are read by date
through this index's expression, so a phrase found in few titles is not looked for in every
title of the archive. SQLite compares ``search_title`` with ``LIKE``, as before.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS article_search_title_idx ON articles_article "
            "USING gin (to_tsvector('simple', search_title))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_search_title_idx")


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_featured_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
