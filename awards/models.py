"""Commendations: who commends (authorities), with what (forms), by which decision, whom.

A decision is either *proposed* (đề nghị: the province asks a higher authority, e.g. the Prime
Minister, with a tờ trình number) or *decided* (a quyết định with its own number and date).
Only decided decisions with a number count as awards.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.files import random_file_name
from portal.models import NFCModel
from portal.text import SORT_KEY_MAX_LENGTH, name_sort_key, normalize_document_number, unique_slug


def scan_max_bytes():
    return settings.AWARDS_SCAN_MAX_BYTES


def validate_pdf(value):
    """The scanned decision must really be a PDF (magic bytes), and not too big."""
    from portal.files import check_document_file

    try:
        check_document_file(value, allowed=("pdf",), max_bytes=scan_max_bytes())
    except ValidationError as exc:
        code = exc.error_list[0].code
        if code == "too_big":
            limit = scan_max_bytes() // (1024 * 1024)
            raise ValidationError(
                _("Tệp quét quá lớn: tối đa %(limit)s MB."), code="too_big", params={"limit": limit}
            ) from exc
        if code == "unreadable":
            raise ValidationError(_("Không đọc được tệp quét."), code="unreadable") from exc
        raise ValidationError(
            _("Tệp quét phải là tệp PDF thật (nội dung không bắt đầu bằng “%PDF-”)."),
            code="not_pdf",
        ) from exc


def scan_upload_to(instance, filename):
    # The uploaded name is never kept: it may carry personal data or path tricks.
    return random_file_name("awards/quyet-dinh", "pdf")


class Authority(NFCModel):
    class Kind(models.TextChoices):
        PARTY = "party", _("Tổ chức Đảng")
        STATE = "state", _("Cơ quan Nhà nước")
        OTHER = "other", _("Khác (Mặt trận, đoàn thể…)")

    name = models.CharField(
        _("tên cơ quan"),
        max_length=200,
        unique=True,
        help_text=_("Viết đầy đủ, ví dụ “Ban Thường vụ Tỉnh ủy”, “Ủy ban nhân dân tỉnh”."),
    )
    short_name = models.CharField(
        _("tên viết tắt"), max_length=50, blank=True, help_text=_("Ví dụ “BTV Tỉnh ủy”.")
    )
    kind = models.CharField(
        _("khối"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.STATE,
        help_text=_("Khen thưởng của Đảng theo quy định của Đảng; của Nhà nước theo Luật TĐKT."),
    )
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True, blank=True)
    order = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ đứng trước trong bộ lọc.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("cơ quan khen thưởng")
        verbose_name_plural = _("cơ quan khen thưởng")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Authority, self.name, instance=self, max_length=120)
        super().save(*args, **kwargs)


class AwardForm(NFCModel):
    name = models.CharField(
        _("hình thức khen thưởng"),
        max_length=200,
        unique=True,
        help_text=_("Ví dụ “Bằng khen”, “Giấy khen”, “Huân chương Lao động hạng Ba”."),
    )
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(AwardForm, self.name, instance=self, max_length=120)
        super().save(*args, **kwargs)


def award_q(prefix=""):
    """The one definition of "counts as an award", as a query condition: the decision is
    decided and numbered, never a mere proposal. ``prefix`` reaches the decision from another
    model (``"decision__"``)."""
    return Q(**{f"{prefix}status": Decision.Status.DECIDED}) & ~Q(**{f"{prefix}number": ""})


def counts_as_award(status, number):
    """The same rule for values already read (a row of an export, an instance)."""
    return status == Decision.Status.DECIDED and bool(number)


class DecisionQuerySet(models.QuerySet):
    def awards(self):
        """Decisions that count as awards: decided and numbered (never a mere proposal)."""
        return self.filter(award_q())

    def proposals(self):
        return self.exclude(pk__in=self.awards().values("pk"))

    def with_recorded_counts(self):
        """Recipients recorded per kind, counted per decision by a correlated subquery: only
        the decisions a page shows are counted (the database evaluates it after ORDER BY and
        LIMIT), where a join and GROUP BY would count every recipient of every decision."""
        return self.annotate(
            recorded_collectives=_recorded_count(Recipient.Kind.COLLECTIVE),
            recorded_individuals=_recorded_count(Recipient.Kind.INDIVIDUAL),
        )

    def for_listing(self):
        return (
            self.select_related("authority", "form", "proposed_by")
            .with_recorded_counts()
            .order_by(*Decision._meta.ordering)
        )


DECIDED_NEEDS_NUMBER_AND_DATE = _("Quyết định đã ban hành phải có số và ngày quyết định.")
PROPOSAL_NEEDS_NUMBER_AND_DATE = _("Đề nghị khen thưởng phải có số và ngày tờ trình.")
RECIPIENT_NEEDS_NAME = _("Cần ghi họ và tên hoặc tên tập thể.")


class Decision(NFCModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đề nghị (chưa có quyết định)")
        DECIDED = "decided", _("Đã có quyết định")

    title = models.CharField(
        _("trích yếu"),
        max_length=400,
        help_text=_(
            "Như trên văn bản, ví dụ “Về việc tặng Bằng khen cho các tập thể, cá nhân có thành "
            "tích xuất sắc trong công tác bầu cử”."
        ),
    )
    status = models.CharField(
        _("tình trạng"),
        max_length=10,
        choices=Status.choices,
        default=Status.DECIDED,
        help_text=_(
            "“Đề nghị”: tỉnh mới trình cấp trên (chưa tính là đã khen thưởng). Chuyển sang “Đã có "
            "quyết định” khi có số và ngày quyết định."
        ),
    )
    number = models.CharField(
        _("số quyết định"),
        max_length=60,
        blank=True,
        help_text=_("Ghi đúng như văn bản: “1234/QĐ-UBND”, “522-QĐ/TU”. Để trống nếu mới đề nghị."),
    )
    number_normalized = models.CharField(
        _("số quyết định (chuẩn hóa)"), max_length=60, blank=True, editable=False, db_index=True
    )
    date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    proposal_number = models.CharField(
        _("số tờ trình đề nghị"),
        max_length=60,
        blank=True,
        help_text=_("Ví dụ “1134/TTr-UBND”. Bắt buộc khi tình trạng là “Đề nghị”."),
    )
    proposal_number_normalized = models.CharField(
        _("số tờ trình (chuẩn hóa)"), max_length=60, blank=True, editable=False, db_index=True
    )
    proposal_date = models.DateField(_("ngày tờ trình"), null=True, blank=True)
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("cơ quan khen thưởng"),
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text=_(
            "Cơ quan ra (hoặc sẽ ra) quyết định. Với đề nghị lên Thủ tướng, chọn “Thủ tướng "
            "Chính phủ”."
        ),
    )
    proposed_by = models.ForeignKey(
        Authority,
        verbose_name=_("cơ quan đề nghị"),
        on_delete=models.PROTECT,
        related_name="proposals",
        null=True,
        blank=True,
        help_text=_("Cơ quan trình đề nghị (nếu có), ví dụ “Ủy ban nhân dân tỉnh”."),
    )
    form = models.ForeignKey(
        AwardForm,
        verbose_name=_("hình thức khen thưởng"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_title = models.CharField(
        _("chức vụ người ký"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ “Chủ tịch”, “KT. Chủ tịch – Phó Chủ tịch”, “T/M Ban Thường vụ”."),
    )
    reason = models.TextField(
        _("lý do khen thưởng"),
        blank=True,
        help_text=_("Ví dụ “Đã có thành tích xuất sắc trong công tác tổ chức bầu cử …”."),
    )
    event = models.CharField(
        _("đợt / phong trào"),
        max_length=300,
        blank=True,
        help_text=_("Sự kiện được khen thưởng, ví dụ cuộc bầu cử ĐBQH khóa XV và HĐND các cấp."),
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("bài viết liên quan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="award_decisions",
    )
    election = models.ForeignKey(
        "elections.Election",
        verbose_name=_("cuộc bầu cử"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="award_decisions",
        help_text=_("Khi quyết định khen thưởng thành tích trong một cuộc bầu cử."),
    )
    scan = models.FileField(
        _("bản quét (PDF)"),
        upload_to=scan_upload_to,
        max_length=200,
        blank=True,
        validators=[validate_pdf],
        help_text=_("Chỉ tệp PDF, tối đa 20 MB. Tên tệp được đặt lại ngẫu nhiên khi lưu."),
    )
    declared_collectives = models.PositiveIntegerField(
        _("số tập thể theo quyết định"),
        default=0,
        help_text=_("Số ghi trong văn bản (ví dụ 20). Dùng để đối chiếu với danh sách đã nhập."),
    )
    declared_individuals = models.PositiveIntegerField(
        _("số cá nhân theo quyết định"), default=0, help_text=_("Số ghi trong văn bản.")
    )
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=150,
        unique=True,
        blank=True,
        help_text=_("Để trống để tạo tự động từ số quyết định (hoặc số tờ trình) và trích yếu."),
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("lịch sử quyết định"))
    objects = DecisionQuerySet.as_manager()

    class Meta:
        # Newest first; a proposal is dated by its tờ trình until it is decided.
        ordering = [Coalesce("date", "proposal_date").desc(nulls_last=True), "-id"]
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        permissions = [("export_awards", _("Xuất danh sách khen thưởng (CSV, XLSX)"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="proposed") | (~Q(number="") & Q(date__isnull=False)),
                name="awards_decision_decided_has_number_and_date",
                violation_error_message=DECIDED_NEEDS_NUMBER_AND_DATE,
            ),
            models.CheckConstraint(
                condition=Q(status="decided")
                | (~Q(proposal_number="") & Q(proposal_date__isnull=False)),
                name="awards_decision_proposal_has_number_and_date",
                violation_error_message=PROPOSAL_NEEDS_NUMBER_AND_DATE,
            ),
            models.UniqueConstraint(
                fields=["authority", "number_normalized"],
                condition=~Q(number_normalized=""),
                name="awards_decision_number_unique_per_authority",
                violation_error_message=_("Cơ quan này đã có quyết định mang số này."),
            ),
        ]

    constraint_fields = {
        "awards_decision_decided_has_number_and_date": "number",
        "awards_decision_proposal_has_number_and_date": "proposal_number",
        "awards_decision_number_unique_per_authority": "number",
    }

    def __str__(self):
        if self.is_award:
            return f"{self.number} – {self.title}"
        return f"{_('Đề nghị')} {self.proposal_number} – {self.title}"

    @property
    def is_award(self):
        return counts_as_award(self.status, self.number)

    @property
    def is_proposal(self):
        return not self.is_award

    @property
    def year(self):
        day = self.date if self.is_award else (self.proposal_date or self.date)
        return day.year if day else None

    def clean(self):
        errors = {}
        if self.status == self.Status.DECIDED:
            if not (self.number or "").strip():
                errors["number"] = _("Quyết định đã ban hành phải có số quyết định.")
            if not self.date:
                errors["date"] = _("Quyết định đã ban hành phải có ngày quyết định.")
        else:
            if not (self.proposal_number or "").strip():
                errors["proposal_number"] = _("Đề nghị khen thưởng phải có số tờ trình.")
            if not self.proposal_date:
                errors["proposal_date"] = _("Đề nghị khen thưởng phải có ngày tờ trình.")
        normalized = normalize_document_number(self.number)
        if normalized and self.authority_id:
            clash = Decision.objects.filter(
                authority_id=self.authority_id, number_normalized=normalized
            ).exclude(pk=self.pk)
            if clash.exists():
                errors.setdefault(
                    "number",
                    _("Cơ quan này đã có quyết định số %(number)s.") % {"number": self.number},
                )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.number = (self.number or "").strip()
        self.number_normalized = normalize_document_number(self.number)
        self.proposal_number = (self.proposal_number or "").strip()
        self.proposal_number_normalized = normalize_document_number(self.proposal_number)
        if not self.slug:
            base = self.number or self.proposal_number or ""
            self.slug = unique_slug(
                Decision, f"{base} {self.title}".strip(), instance=self, max_length=150
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("awards:detail", kwargs={"slug": self.slug})


def _recorded_count(kind):
    recipients = (
        Recipient.objects.filter(decision=OuterRef("pk"), kind=kind)
        .order_by()
        .values("decision")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(recipients), 0)


class RecipientQuerySet(models.QuerySet):
    def awarded(self):
        """Recipients counted as commended: their decision is decided and numbered."""
        return self.filter(award_q("decision__"))


class Recipient(NFCModel):
    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể")
        INDIVIDUAL = "individual", _("Cá nhân")

    decision = models.ForeignKey(
        Decision,
        verbose_name=_("quyết định"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    name = models.CharField(
        _("họ và tên / tên tập thể"),
        max_length=300,
        help_text=_("Ghi đúng như trong quyết định, không kèm “Ông/Bà”."),
    )
    position = models.CharField(
        _("chức vụ"), max_length=300, blank=True, help_text=_("Như ghi trong quyết định.")
    )
    unit = models.CharField(
        _("đơn vị"),
        max_length=300,
        blank=True,
        help_text=_("Cơ quan, đơn vị như ghi trong quyết định (giữ nguyên dù sau này đổi tên)."),
    )
    achievement = models.TextField(
        _("nội dung thành tích"),
        blank=True,
        help_text=_("Để trống nếu giống lý do chung của quyết định."),
    )
    order = models.PositiveIntegerField(
        _("số thứ tự trong quyết định"), default=0, help_text=_("STT trong danh sách kèm theo.")
    )
    sort_key = models.CharField(
        max_length=SORT_KEY_MAX_LENGTH, editable=False, db_index=True, default=""
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)

    history = HistoricalRecords(verbose_name=_("lịch sử người được khen"))
    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "kind", "order", "id"]
        verbose_name = _("tập thể, cá nhân được khen")
        verbose_name_plural = _("tập thể, cá nhân được khen")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="awards_recipient_name_not_blank",
                violation_error_message=RECIPIENT_NEEDS_NAME,
            ),
        ]

    constraint_fields = {"awards_recipient_name_not_blank": "name"}

    def __str__(self):
        return self.name

    def clean(self):
        if not (self.name or "").strip():
            raise ValidationError({"name": RECIPIENT_NEEDS_NAME})

    def compute_sort_key(self):
        return name_sort_key(self.name, person=self.kind == self.Kind.INDIVIDUAL)

    def save(self, *args, **kwargs):
        self.name = (self.name or "").strip()
        self.sort_key = self.compute_sort_key()
        super().save(*args, **kwargs)


class ExportLog(NFCModel):
    """One row per export: enough to prove later which file came from where."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Source(models.TextChoices):
        ADMIN = "admin", _("Trang quản trị")
        COMMAND = "command", _("Lệnh manage.py export_awards")

    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xuất"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(
        _("tên đăng nhập"), max_length=150, blank=True, help_text=_("Giữ lại dù tài khoản bị xóa.")
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    format = models.CharField(_("định dạng"), max_length=5, choices=Format.choices)
    filters = models.JSONField(_("bộ lọc"), default=dict, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    row_count = models.PositiveIntegerField(_("số dòng"), null=True, blank=True)
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        blank=True,
        help_text=_("Trống nghĩa là việc tải xuống bị ngắt giữa chừng."),
    )
    completed_at = models.DateTimeField(_("hoàn tất lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("nhật ký xuất dữ liệu")
        verbose_name_plural = _("nhật ký xuất dữ liệu")

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.username or '—'} {self.file_name}"


class ExportJob(models.Model):
    """A long export built by a background worker, and its progress (awards/tasks.py).

    The export log row is written only when the file is complete and stored, with its row
    count and SHA-256 in one transaction: a worker that dies half-way leaves a job that is
    retried or marked failed, never a half-written log entry.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ đến lượt")
        RUNNING = "running", _("Đang tạo tệp")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Không thành công")

    created_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    format = models.CharField(_("định dạng"), max_length=5, choices=ExportLog.Format.choices)
    query = models.JSONField(_("tham số lọc"), default=dict)
    file_name = models.CharField(_("tên tệp"), max_length=200)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("tổng số dòng"), default=0)
    done_rows = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    heartbeat_at = models.DateTimeField(_("lần báo tiến độ cuối"), null=True, blank=True)
    stored_file = models.CharField(_("tệp đã lưu"), max_length=300, blank=True)
    log = models.OneToOneField(
        ExportLog,
        verbose_name=_("nhật ký xuất"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="job",
    )
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tệp xuất đang tạo")
        verbose_name_plural = _("tệp xuất đang tạo")

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.done_rows * 100 // self.total_rows)
