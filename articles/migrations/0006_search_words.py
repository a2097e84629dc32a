"""Phrase search over folded words, with a full-text index on PostgreSQL.

``search_text`` becomes the folded words separated by single spaces (punctuation dropped,
document numbers added in their canonical form) and ``search_title`` the same for the title,
recomputed here for existing rows. On PostgreSQL a stored generated ``tsvector`` column
(``simple`` configuration: no stemming, no stop words, each syllable a word) with a GIN index
serves phrase queries, which the trigram index could not do for two-letter syllables such as
``cu`` or ``xa``; that index is dropped. SQLite searches the same words with ``LIKE``.
"""

from django.db import migrations, models

BATCH = 500


def refresh_search_words(apps, schema_editor):
    from portal.richtext import html_to_text
    from portal.text import document_number_words, fold_words

    Article = apps.get_model("articles", "Article")
    rows = Article.objects.using(schema_editor.connection.alias).order_by("pk")
    batch = []
    for article in rows.iterator(chunk_size=BATCH):
        text = " ".join([article.title, article.summary, html_to_text(article.body)])
        numbers = " ".join(document_number_words(text))
        article.search_text = fold_words(f"{text} {numbers}")
        article.search_title = fold_words(article.title)
        batch.append(article)
        if len(batch) >= BATCH:
            Article.objects.bulk_update(batch, ["search_text", "search_title"])
            batch = []
    if batch:
        Article.objects.bulk_update(batch, ["search_text", "search_title"])


def create_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS article_search_trgm_idx")
    schema_editor.execute(
        "ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS article_search_vector_idx "
        "ON articles_article USING gin (search_vector)"
    )


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS article_search_vector_idx")
    schema_editor.execute("ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS article_search_trgm_idx "
        "ON articles_article USING gin (search_text gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_schedule_indexes")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_title",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(refresh_search_words, migrations.RunPython.noop),
        migrations.RunPython(create_search_vector, drop_search_vector),
    ]
