"""Questions: submitting, answering (with the email to the asker) and what pages show."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from portal.richtext import html_to_text
from questions.models import Question, Topic, reference_new

logger = logging.getLogger(__name__)
HOME_BLOCK_SIZE = 5


def question_submit(*, form, attempts=3):
    """Save a citizen's question from a valid :class:`QuestionForm`; consent time recorded.

    The reference is random; in the (astronomically unlikely) case it is taken, a new one is
    drawn instead of losing the question.
    """
    question = form.save(commit=False)
    question.consent_at = timezone.now()
    question.status = Question.Status.RECEIVED
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                question.save()
            return question
        except IntegrityError:
            taken = Question.objects.filter(reference=question.reference).exists()
            if not taken or attempt == attempts - 1:
                raise
            question.pk = None
            question.reference = reference_new()
    return question


def question_record_answer(*, question, user):
    """Stamp who answered and when, the first time an answer is given."""
    if question.answer and question.answered_at is None:
        question.answered_at = timezone.now()
        question.answered_by = user


def question_notify(*, question, request=None):
    """Email the asker that the question is answered; ``(sent, error)``.

    A failure is stored on the question (``notify_error``) and reported to staff, and the
    answer stays saved: staff may send again from the admin.
    """
    if not question.asker_email:
        return False, ""
    with translation.override(settings.LANGUAGE_CODE):
        status_url = reverse("questions:status")
        if request is not None:
            status_url = request.build_absolute_uri(status_url)
        subject = render_to_string(
            "questions/email_answered_subject.txt", {"question": question}
        ).strip()
        body = render_to_string(
            "questions/email_answered.txt",
            {
                "question": question,
                "answer_text": html_to_text(question.answer),
                "status_url": status_url,
                "portal_name": settings.PORTAL_NAME,
            },
        )
    try:
        send_mail(subject, body, None, [question.asker_email], fail_silently=False)
    except Exception as exc:  # SMTP refused, timed out, DNS...: keep the answer, tell staff
        logger.warning("Answer email for question %s not sent: %s", question.pk, exc)
        error = f"{type(exc).__name__}: {exc}"[:300]
        Question.objects.filter(pk=question.pk).update(notify_error=error)
        question.notify_error = error
        return False, error
    now = timezone.now()
    Question.objects.filter(pk=question.pk).update(notified_at=now, notify_error="")
    question.notified_at, question.notify_error = now, ""
    return True, ""


def needs_notification(question):
    return (
        question.status in (Question.Status.ANSWERED, Question.Status.PUBLISHED)
        and bool(question.asker_email)
        and question.notified_at is None
    )


def topics_with_counts():
    """Topics that have published questions, with their counts (one query)."""
    return list(
        Topic.objects.annotate(
            published_count=Count("questions", filter=Q(questions__status="published"))
        )
        .filter(published_count__gt=0)
        .order_by("order", "name")
    )


def public_questions():
    return (
        Question.objects.published()
        .select_related("topic")
        .only("title", "body", "topic__name", "topic__slug", "published_at", "created_at",
              "is_demo", "reference")
        .order_by("-published_at", "-id")
    )  # fmt: skip


def home_block_context():
    """The latest published questions for the home page: one query, run only when its cached
    fragment is rendered."""
    return {
        "latest_questions": SimpleLazyObject(lambda: list(public_questions()[:HOME_BLOCK_SIZE]))
    }
