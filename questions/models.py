"""Questions from citizens (Hỏi đáp) and the agency's answers.

The asker's name, email and phone are personal data (Nghị định 13/2023/NĐ-CP): they are kept
for the reply only and never shown on a public page. A question is public only once staff
publish it with its answer.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import NFCModel, save_with_unique_slug
from portal.richtext import RichTextField, html_to_text
from portal.text import fold_words

# No 0/O, 1/I/L: the code is read out over the phone and typed back.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 10  # 31**10 ≈ 8·10^14 codes: not guessable within any rate limit

# The messages of the database constraints, shared with clean() where it checks the same rule.
NEEDS_CONTACT = _("Cần có thư điện tử hoặc số điện thoại của người hỏi.")
NEEDS_ANSWER = _("Cần có nội dung trả lời trước khi chuyển sang trạng thái này.")
CLOSED_NEEDS_REASON = _("Ghi lý do đóng câu hỏi (chỉ cán bộ xem được).")


def reference_new():
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def reference_normalize(value):
    """What a citizen types (``hd-abcd efgh-23``, lower case, spaces) in canonical form."""
    text = "".join(ch for ch in (value or "")[:40].upper() if ch.isalnum())
    # The printed form is HD-XXXXX-XXXXX; a bare code may itself start with "HD".
    if len(text) == REFERENCE_LENGTH + 2 and text.startswith("HD"):
        text = text[2:]
    return text


class Topic(NFCModel):
    """A subject field (lĩnh vực) that questions are filed under."""

    name = models.CharField(_("lĩnh vực"), max_length=150, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("lĩnh vực hỏi đáp")
        verbose_name_plural = _("lĩnh vực hỏi đáp")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        save_with_unique_slug(
            self, lambda: super(Topic, self).save(*args, **kwargs), source=self.name,
            max_length=120,
        )  # fmt: skip


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Question.Status.PUBLISHED)

    def search(self, query):
        """Questions holding every word of ``query`` as a whole word, accents and case
        ignored: ``dat nong thon`` finds "đất ở nông thôn", ``an`` does not find "ăn" in
        every "bản", "can", ... (the rule of the site search)."""
        qs = self
        for word in fold_words(query).split()[:12]:
            qs = qs.filter(search_text__contains=f" {word} ")
        return qs


def question_search_text(title, body, answer):
    """The folded words of a question and its answer, space-padded (also used by migration
    0003 that refills the column)."""
    return fold_words(" ".join([title, body, html_to_text(answer)]))


class Question(NFCModel):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        ROUTED = "routed", _("Đang xử lý")
        ANSWERED = "answered", _("Đã trả lời")
        PUBLISHED = "published", _("Đã trả lời và công khai")
        CLOSED = "closed", _("Đã đóng")

    reference = models.CharField(
        _("mã tra cứu"), max_length=16, unique=True, editable=False, default=reference_new
    )
    asker_name = models.CharField(_("họ và tên người hỏi"), max_length=120)
    asker_email = models.EmailField(_("thư điện tử người hỏi"), blank=True)
    asker_phone = models.CharField(_("điện thoại người hỏi"), max_length=20, blank=True)
    topic = models.ForeignKey(
        Topic, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="questions"
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung câu hỏi"), max_length=5000)
    consent_at = models.DateTimeField(_("đồng ý xử lý dữ liệu cá nhân lúc"), editable=False)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("đơn vị xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
        help_text=_("Chuyển câu hỏi cho đơn vị có thẩm quyền trả lời."),
    )
    answer = RichTextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True, editable=False)
    close_reason = models.TextField(
        _("lý do đóng (nội bộ)"),
        blank=True,
        help_text=_("Bắt buộc khi đóng câu hỏi. Không hiện cho người hỏi và công chúng."),
    )
    notified_at = models.DateTimeField(
        _("đã báo người hỏi lúc"), null=True, blank=True, editable=False
    )
    notify_error = models.CharField(_("lỗi gửi thư"), max_length=300, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("sửa lần cuối lúc"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi của công dân")
        permissions = [("publish_question", _("Có thể công khai và đóng câu hỏi"))]
        indexes = [models.Index(fields=["status", "-published_at"], name="question_public_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(asker_email="", asker_phone=""),
                name="question_has_contact",
                violation_error_message=NEEDS_CONTACT,
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["answered", "published"]) | ~Q(answer=""),
                name="question_answered_has_answer",
                violation_error_message=NEEDS_ANSWER,
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(close_reason=""),
                name="question_closed_has_reason",
                violation_error_message=CLOSED_NEEDS_REASON,
            ),
        ]

    constraint_fields = {
        "question_has_contact": "asker_email",
        "question_answered_has_answer": "answer",
        "question_closed_has_reason": "close_reason",
    }

    def __str__(self):
        return f"{self.formatted_reference} – {self.title}"

    @property
    def formatted_reference(self):
        return f"HD-{self.reference[:5]}-{self.reference[5:]}"

    def clean(self):
        errors = {}
        if (
            self.status in (self.Status.ANSWERED, self.Status.PUBLISHED)
            and not html_to_text(self.answer).strip()
        ):
            errors["answer"] = NEEDS_ANSWER
        if self.status == self.Status.CLOSED and not (self.close_reason or "").strip():
            errors["close_reason"] = CLOSED_NEEDS_REASON
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.search_text = question_search_text(self.title, self.body, self.answer)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("questions:detail", kwargs={"pk": self.pk})

    @property
    def public_status(self):
        """What the asker sees on the status page: a closed question is just "closed"."""
        if self.status == self.Status.PUBLISHED:
            return self.Status.PUBLISHED.label
        return self.get_status_display()
