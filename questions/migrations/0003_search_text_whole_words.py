"""Refill the search column as space-padded folded words, so a search matches whole words."""

from django.db import migrations


def refill(apps, schema_editor):
    from questions.models import question_search_text

    Question = apps.get_model("questions", "Question")
    for question in Question.objects.only("pk", "title", "body", "answer").iterator():
        Question.objects.filter(pk=question.pk).update(
            search_text=question_search_text(question.title, question.body, question.answer)
        )


class Migration(migrations.Migration):
    dependencies = [("questions", "0002_constraint_messages")]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]
