"""The leaders' work schedule (Lịch công tác): one entry per meeting, visit or event."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import NFCModel

# The messages of the database constraints, shared with clean() where it checks the same rule.
END_BEFORE_START = _("Giờ kết thúc phải sau giờ bắt đầu.")
CHANGE_NEEDS_NOTE = _("Ghi rõ thay đổi hoặc lý do hoãn.")


class EntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def between(self, start, end):
        """Entries from ``start`` up to and including ``end`` (dates)."""
        return self.filter(date__gte=start, date__lte=end)


class Entry(NFCModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Theo kế hoạch")
        CHANGED = "changed", _("Có thay đổi")
        CANCELLED = "cancelled", _("Hoãn / hủy")

    date = models.DateField(_("ngày"))
    start_time = models.TimeField(
        _("giờ bắt đầu"), null=True, blank=True, help_text=_("Để trống nếu cả ngày.")
    )
    end_time = models.TimeField(_("giờ kết thúc"), null=True, blank=True)
    content = models.TextField(
        _("nội dung"),
        max_length=2000,
        help_text=_("Ví dụ “Họp Ủy ban nhân dân tỉnh thường kỳ tháng 6”."),
    )
    chair = models.CharField(
        _("chủ trì"), max_length=300, blank=True, help_text=_("Ví dụ “Chủ tịch UBND tỉnh”.")
    )
    attendees = models.TextField(_("thành phần"), max_length=2000, blank=True)
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    preparing_unit = models.CharField(
        _("đơn vị chuẩn bị"), max_length=300, blank=True, help_text=_("Ví dụ “Sở Nội vụ”.")
    )
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    status_note = models.CharField(
        _("ghi chú thay đổi"),
        max_length=300,
        blank=True,
        help_text=_("Bắt buộc khi có thay đổi hoặc hoãn: nói rõ thay đổi gì, vì sao."),
    )
    is_published = models.BooleanField(_("công khai"), default=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lần cuối lúc"), auto_now=True)

    history = HistoricalRecords()
    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time", "id"]
        verbose_name = _("mục lịch công tác")
        verbose_name_plural = _("lịch công tác")
        indexes = [models.Index(fields=["date"], name="schedule_entry_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | (Q(start_time__isnull=False) & Q(end_time__gt=models.F("start_time"))),
                name="schedule_end_after_start",
                violation_error_message=END_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=Q(status="planned") | ~Q(status_note=""),
                name="schedule_change_has_note",
                violation_error_message=CHANGE_NEEDS_NOTE,
            ),
        ]

    constraint_fields = {
        "schedule_end_after_start": "end_time",
        "schedule_change_has_note": "status_note",
    }

    def __str__(self):
        when = self.date.strftime("%d/%m/%Y")
        if self.start_time:
            when += " " + self.start_time.strftime("%H:%M")
        return f"{when} – {self.content[:80]}"

    def clean(self):
        errors = {}
        if self.end_time and not self.start_time:
            errors["end_time"] = _("Có giờ kết thúc thì phải có giờ bắt đầu.")
        elif self.end_time and self.start_time and self.end_time <= self.start_time:
            errors["end_time"] = END_BEFORE_START
        if self.status != self.Status.PLANNED and not (self.status_note or "").strip():
            errors["status_note"] = CHANGE_NEEDS_NOTE
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Calendar apps replace an event they already have only when SEQUENCE grows.
        if self.pk is not None:
            self.sequence += 1
        super().save(*args, **kwargs)
