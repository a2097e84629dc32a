"""Refill the folded search column so it also holds the normalised document numbers."""

from django.db import migrations


def refill(apps, schema_editor):
    from articles.models import article_search_text

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("title", "summary", "body").iterator(chunk_size=500):
        text = article_search_text(article.title, article.summary, article.body)
        Article.objects.filter(pk=article.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_constraint_messages")]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]
