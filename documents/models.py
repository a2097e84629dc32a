"""Legal documents registry (văn bản) and public consultation on drafts (lấy ý kiến dự thảo).

What a citizen sees of a document follows NĐ 42/2022/NĐ-CP Art. 4: type, issuing authority,
number and symbol, issue date, effective date, summary and a downloadable file. Whether a
document is in force and whether a consultation is open are computed from dates when the page
is built, so nothing needs a scheduled job.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import NFCModel, save_with_unique_slug
from portal.richtext import RichTextField, html_to_text
from portal.text import fold, normalize_document_number, unique_slug

# Paths under /van-ban/ that are not documents: a document slug may never take them.
RESERVED_SLUGS = {"du-thao", "rss", "tep", "du-lieu-mo", "tim-kiem"}

# The messages of the database constraints, shared with clean() where it checks the same rule.
NUMBER_TAKEN = _("Cơ quan ban hành này đã có văn bản cùng số, ký hiệu và cùng ngày ban hành.")
EFFECTIVE_BEFORE_ISSUE = _("Ngày có hiệu lực không thể trước ngày ban hành.")
EXPIRES_BEFORE_EFFECTIVE = _("Ngày hết hiệu lực phải sau ngày có hiệu lực.")
RELATION_TAKEN = _("Văn bản này đã có quan hệ này với văn bản được chọn.")
RELATION_TO_ITSELF = _("Văn bản không thể liên kết với chính nó.")
DRAFT_CLOSES_BEFORE_OPENS = _("Thời điểm kết thúc phải sau thời điểm bắt đầu lấy ý kiến.")
FILE_NEEDS_ONE_OWNER = _("Tệp đính kèm phải thuộc một văn bản hoặc một dự thảo, không cả hai.")
REJECTED_NEEDS_REASON = _("Hãy ghi lý do không công khai góp ý (chỉ lưu nội bộ).")


class _Named(NFCModel):
    """An editable list entry (type, issuing body): name, slug, order."""

    name = models.CharField(_("tên"), max_length=200, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True, blank=True)
    order = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ đứng trước trong bộ lọc.")
    )

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.name, instance=self, max_length=120)
        super().save(*args, **kwargs)


class DocumentType(_Named):
    """Hình thức văn bản: Luật, Nghị định, Quyết định, Chỉ thị, Kế hoạch…"""

    history = HistoricalRecords(verbose_name=_("lịch sử hình thức văn bản"))

    class Meta(_Named.Meta):
        verbose_name = _("hình thức văn bản")
        verbose_name_plural = _("hình thức văn bản")


class Issuer(_Named):
    """Cơ quan ban hành: Quốc hội, Chính phủ, Bộ Chính trị, UBND tỉnh…"""

    short_name = models.CharField(
        _("tên viết tắt"), max_length=60, blank=True, help_text=_("Ví dụ “UBND tỉnh”.")
    )
    history = HistoricalRecords(verbose_name=_("lịch sử cơ quan ban hành"))

    class Meta(_Named.Meta):
        verbose_name = _("cơ quan ban hành")
        verbose_name_plural = _("cơ quan ban hành")


class Field(_Named):
    """Lĩnh vực, in a two-level tree (“Tổ chức bộ máy” › “Bầu cử”)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("lĩnh vực cha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    history = HistoricalRecords(verbose_name=_("lịch sử lĩnh vực"))

    class Meta(_Named.Meta):
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self):
        if self.parent_id and (self.parent_id == self.pk or self.parent.parent_id):
            raise ValidationError(
                {"parent": _("Chỉ hỗ trợ hai cấp: hãy chọn một lĩnh vực cấp trên cùng.")}
            )


_NUMBER_LIKE = re.compile(r"^\d+[\s\-/.]+\w")
_NUMBER_SEPARATORS = re.compile(r"[\s\-/.]+")


def number_token_form(value):
    """``42/2022/NĐ-CP`` → ``-42-2022-nd-cp-``: the parts of a number between dashes."""
    parts = [p for p in _NUMBER_SEPARATORS.split(fold(value)) if p]
    return "-" + "-".join(parts) + "-" if parts else ""


class DocumentQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(is_published=True, published_at__lte=now or timezone.now())

    def for_listing(self):
        return self.select_related("doc_type", "issuer").defer("body", "search_text")

    def search(self, query):
        """The number in any usual spelling, or type, number and summary words without accents.

        A query that starts like a number (``42/2022``, ``42-2022-ND-CP``, ``45 CT TW``) matches
        whole parts of the number only, so ``42/2022`` does not find ``142/2022/NĐ-CP``; a
        number among words (``nghi dinh 42``) must be a whole word too.
        """
        folded = fold((query or "")[:200])
        if not folded:
            return self
        exact = Q(number_normalized=normalize_document_number(folded))
        if _NUMBER_LIKE.match(folded):
            return self.filter(Q(search_text__contains=number_token_form(folded)) | exact)
        by_words = Q()
        for word in folded.split()[:12]:
            if word.isdigit():
                by_words &= Q(search_text__contains=f" {word} ")
            else:
                by_words &= Q(search_text__contains=word)
        return self.filter(by_words | exact)

    def with_status(self, status, today=None):
        return self.filter(Document.status_q(status, today or timezone.localdate()))


class Document(NFCModel):
    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("Còn hiệu lực")
        PARTLY_EXPIRED = "partly_expired", _("Hết hiệu lực một phần")
        EXPIRED = "expired", _("Hết hiệu lực toàn bộ")

    # Filter values: the three stored states plus one computed from the effective date.
    NOT_YET = "not_yet"

    doc_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("hình thức văn bản"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    number = models.CharField(
        _("số, ký hiệu"),
        max_length=80,
        help_text=_("Ghi đúng như trên văn bản: “42/2022/NĐ-CP”, “45-CT/TW”, “1436/QĐ-UBND”."),
    )
    number_normalized = models.CharField(max_length=80, editable=False, db_index=True, default="")
    issuer = models.ForeignKey(
        Issuer,
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("Cơ quan chủ trì; với văn bản liên tịch, chọn thêm cơ quan phối hợp bên dưới."),
    )
    co_issuers = models.ManyToManyField(
        Issuer,
        verbose_name=_("cơ quan cùng ban hành (liên tịch)"),
        blank=True,
        related_name="joint_documents",
    )
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_title = models.CharField(
        _("chức vụ người ký"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ “Thủ tướng”, “KT. Chủ tịch – Phó Chủ tịch”, “T/M Bộ Chính trị”."),
    )
    issued_on = models.DateField(_("ngày ban hành"))
    effective_on = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    expires_on = models.DateField(
        _("ngày hết hiệu lực"),
        null=True,
        blank=True,
        help_text=_("Từ ngày này văn bản tự hiện “Hết hiệu lực toàn bộ”."),
    )
    status = models.CharField(
        _("tình trạng hiệu lực"),
        max_length=20,
        choices=Status.choices,
        default=Status.IN_FORCE,
        help_text=_(
            "“Chưa có hiệu lực” và “Hết hiệu lực” theo ngày được tính tự động; chọn “Hết hiệu lực "
            "một phần” hoặc “toàn bộ” khi văn bản bị sửa đổi, bãi bỏ."
        ),
    )
    fields = models.ManyToManyField(
        Field, verbose_name=_("lĩnh vực"), blank=True, related_name="documents"
    )
    summary = models.TextField(
        _("trích yếu"),
        max_length=1000,
        help_text=_("Như trên văn bản, ví dụ “Quy định về việc cung cấp thông tin … trên môi "
                    "trường mạng”."),
    )  # fmt: skip
    body = RichTextField(_("toàn văn"), blank=True, help_text=_("Tùy chọn."))
    articles = models.ManyToManyField(
        "articles.Article",
        verbose_name=_("bài viết liên quan"),
        blank=True,
        related_name="legal_documents",
    )
    award_decisions = models.ManyToManyField(
        "awards.Decision",
        verbose_name=_("quyết định khen thưởng căn cứ văn bản"),
        blank=True,
        related_name="legal_documents",
    )
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=150,
        unique=True,
        blank=True,
        help_text=_("Để trống để tạo tự động từ hình thức và số, ký hiệu."),
    )
    is_published = models.BooleanField(
        _("công khai"), default=True, help_text=_("Bỏ chọn để ẩn văn bản khỏi cổng.")
    )
    published_at = models.DateTimeField(
        _("đăng lúc"),
        default=timezone.now,
        help_text=_("Văn bản hiện trên cổng (và trong RSS) từ thời điểm này."),
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    history = HistoricalRecords(
        verbose_name=_("lịch sử văn bản"),
        m2m_fields=[co_issuers, fields, articles, award_decisions],
    )
    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        indexes = [
            models.Index(fields=["is_published", "published_at"], name="document_published_idx"),
        ]
        constraints = [
            # Truly unique: the lead authority never gives one number to two documents on one
            # day. Numbers restart each year (and party/state series differ), so the same number
            # on another day only earns a warning in the admin.
            models.UniqueConstraint(
                fields=["issuer", "number_normalized", "issued_on"],
                name="document_number_unique_per_issuer_and_day",
                violation_error_message=NUMBER_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True) | Q(effective_on__gte=models.F("issued_on")),
                name="document_effective_after_issue",
                violation_error_message=EFFECTIVE_BEFORE_ISSUE,
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(expires_on__gt=models.F("effective_on")),
                name="document_expires_after_effective",
                violation_error_message=EXPIRES_BEFORE_EFFECTIVE,
            ),
        ]

    constraint_fields = {
        "document_number_unique_per_issuer_and_day": "number",
        "document_effective_after_issue": "effective_on",
        "document_expires_after_effective": "expires_on",
    }

    def __str__(self):
        return f"{self.doc_type.name} {self.number}" if self.doc_type_id else self.number

    def clean(self):
        # Set here too, not only in save(): the uniqueness check runs on the normalised number.
        self.number_normalized = normalize_document_number(self.number)
        errors = {}
        if self.effective_on and self.issued_on and self.effective_on < self.issued_on:
            errors["effective_on"] = EFFECTIVE_BEFORE_ISSUE
        if self.expires_on and self.effective_on and self.expires_on <= self.effective_on:
            errors["expires_on"] = EXPIRES_BEFORE_EFFECTIVE
        if not normalize_document_number(self.number):
            errors["number"] = _("Cần ghi số, ký hiệu của văn bản.")
        elif self.issuer_id and self.issued_on:
            # Mirrors the database constraint for a friendly message: the admin form skips
            # constraints on fields it does not show (number_normalized).
            clash = Document.objects.filter(
                issuer_id=self.issuer_id,
                number_normalized=self.number_normalized,
                issued_on=self.issued_on,
            ).exclude(pk=self.pk)
            if clash.exists():
                errors["number"] = NUMBER_TAKEN
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("Đường dẫn này dành cho trang khác của mục Văn bản.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.number = (self.number or "").strip()
        self.number_normalized = normalize_document_number(self.number)
        self.refresh_search_text()
        # “42/2022/NĐ-CP” → “nghi-dinh-42-2022-nd-cp” (slugify alone would glue the parts).
        number = self.number.replace("/", " ")
        source = f"{self.doc_type.name} {number}" if self.doc_type_id else number
        save_with_unique_slug(
            self, lambda: super(Document, self).save(*args, **kwargs), source=source,
            max_length=150,
        )  # fmt: skip

    def refresh_search_text(self):
        type_name = self.doc_type.name if self.doc_type_id else ""
        # The number three ways: as written (“42/2022/nd-cp”), in parts between spaces (for
        # “nghi dinh 42”) and between dashes (“-42-2022-nd-cp-”, for number-like queries).
        # Padded with spaces so that a whole word can be matched at either end.
        parts = _NUMBER_SEPARATORS.sub(" ", self.number)
        text = " ".join([type_name, self.number, parts, number_token_form(self.number),
                         self.summary, self.signer_name, html_to_text(self.body)])  # fmt: skip
        self.search_text = f" {fold(text)} "

    def get_absolute_url(self):
        return reverse("documents:detail", kwargs={"slug": self.slug})

    @staticmethod
    def status_q(status, today):
        """The filter for a status as a visitor sees it (dates win over the stored value)."""
        not_yet = Q(effective_on__gt=today)
        expired_by_date = Q(expires_on__lte=today)
        if status == Document.NOT_YET:
            return not_yet & ~expired_by_date
        if status == Document.Status.EXPIRED:
            return expired_by_date | Q(status=Document.Status.EXPIRED)
        rest = ~not_yet & ~expired_by_date & ~Q(status=Document.Status.EXPIRED)
        return rest & Q(status=status)

    def effective_status(self, today=None):
        today = today or timezone.localdate()
        if (self.expires_on and self.expires_on <= today) or self.status == self.Status.EXPIRED:
            return self.Status.EXPIRED
        if self.effective_on and self.effective_on > today:
            return self.NOT_YET
        return self.status

    @property
    def status_label(self):
        return self.label_of_status(self.effective_status())

    @classmethod
    def label_of_status(cls, status):
        """The words for a value of :meth:`effective_status`."""
        return _("Chưa có hiệu lực") if status == cls.NOT_YET else cls.Status(status).label

    @property
    def year(self):
        return self.issued_on.year if self.issued_on else None


class DocumentRelation(NFCModel):
    """A link between two documents, shown on both: “Thay thế” here, “Được thay thế bởi” there."""

    class Kind(models.TextChoices):
        REPLACES = "replaces", _("Thay thế")
        AMENDS = "amends", _("Sửa đổi, bổ sung")
        GUIDES = "guides", _("Hướng dẫn")
        RELATED = "related", _("Liên quan")

    # The label on the other document's page.
    REVERSE_LABELS = {
        Kind.REPLACES: _("Được thay thế bởi"),
        Kind.AMENDS: _("Được sửa đổi, bổ sung bởi"),
        Kind.GUIDES: _("Được hướng dẫn bởi"),
        Kind.RELATED: _("Liên quan"),
    }

    source = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="relations_out"
    )
    kind = models.CharField(_("quan hệ"), max_length=12, choices=Kind.choices)
    target = models.ForeignKey(
        Document,
        verbose_name=_("văn bản được liên kết"),
        on_delete=models.CASCADE,
        related_name="relations_in",
    )
    history = HistoricalRecords(verbose_name=_("lịch sử quan hệ văn bản"))

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("văn bản liên quan")
        verbose_name_plural = _("văn bản liên quan")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "target"],
                name="document_relation_unique",
                violation_error_message=RELATION_TAKEN,
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")),
                name="document_relation_not_self",
                violation_error_message=RELATION_TO_ITSELF,
            ),
        ]

    constraint_fields = {
        "document_relation_unique": "target",
        "document_relation_not_self": "target",
    }

    def __str__(self):
        return f"{self.source} – {self.get_kind_display()} – {self.target}"

    def clean(self):
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({"target": RELATION_TO_ITSELF})

    @property
    def reverse_label(self):
        return self.REVERSE_LABELS[self.Kind(self.kind)]


class DraftQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(is_published=True, opens_at__lte=now or timezone.now())

    def open(self, now=None):
        now = now or timezone.now()
        return self.published(now).filter(closes_at__gt=now)

    def closed(self, now=None):
        now = now or timezone.now()
        return self.published(now).filter(closes_at__lte=now)

    def with_comment_counts(self):
        return self.annotate(
            comments_received=Count("comments", distinct=True),
            comments_published=Count(
                "comments", filter=Q(comments__status="published"), distinct=True
            ),
        )


CLOSING_SOON_DAYS = 7


class Draft(NFCModel):
    """A draft document posted for comments from citizens and organisations."""

    title = models.CharField(
        _("tên dự thảo"),
        max_length=400,
        help_text=_("Ví dụ “Dự thảo Quyết định ban hành Quy chế quản lý Cổng thông tin điện tử "
                    "tỉnh”."),
    )  # fmt: skip
    doc_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("hình thức văn bản"),
        on_delete=models.PROTECT,
        related_name="drafts",
    )
    drafting_unit = models.CharField(
        _("cơ quan chủ trì soạn thảo"), max_length=200, help_text=_("Ví dụ “Sở Tư pháp”.")
    )
    contact = models.CharField(
        _("đầu mối liên hệ"),
        max_length=300,
        blank=True,
        help_text=_("Tên, điện thoại, thư điện tử công vụ của người tiếp nhận góp ý."),
    )
    explanation = RichTextField(
        _("thuyết minh, nội dung cần lấy ý kiến"),
        blank=True,
        help_text=_("Mục đích, nội dung chính và các vấn đề cần xin ý kiến."),
    )
    opens_at = models.DateTimeField(_("bắt đầu lấy ý kiến"))
    closes_at = models.DateTimeField(
        _("kết thúc lấy ý kiến"),
        help_text=_("Biểu mẫu góp ý tự đóng sau thời điểm này. Thời hạn tối thiểu tùy loại văn "
                    "bản theo quy định."),
    )  # fmt: skip
    report = RichTextField(
        _("báo cáo tổng hợp, tiếp thu, giải trình"),
        blank=True,
        help_text=_("Đăng sau khi hết hạn góp ý: ý kiến nhận được và cách tiếp thu, giải trình."),
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("văn bản đã ban hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafts",
        help_text=_("Khi dự thảo đã được ban hành thành văn bản."),
    )
    slug = models.SlugField(_("đường dẫn"), max_length=150, unique=True, blank=True)
    is_published = models.BooleanField(_("công khai"), default=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("lịch sử dự thảo"))
    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("dự thảo lấy ý kiến")
        verbose_name_plural = _("dự thảo lấy ý kiến")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="draft_closes_after_opens",
                violation_error_message=DRAFT_CLOSES_BEFORE_OPENS,
            ),
        ]

    constraint_fields = {"draft_closes_after_opens": "closes_at"}

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = DRAFT_CLOSES_BEFORE_OPENS
        elif self.has_report() and self.closes_at and self.closes_at > timezone.now():
            # The report sums up every comment received: it cannot exist while more may come.
            errors["report"] = _(
                "Chỉ đăng báo cáo tổng hợp sau khi hết thời hạn lấy ý kiến (%(closes)s)."
            ) % {"closes": date_format(timezone.localtime(self.closes_at), "d/m/Y H:i")}
        if errors:
            raise ValidationError(errors)

    def has_report(self):
        return bool(html_to_text(self.report).strip())

    def save(self, *args, **kwargs):
        save_with_unique_slug(
            self, lambda: super(Draft, self).save(*args, **kwargs), source=self.title,
            max_length=150,
        )  # fmt: skip

    def get_absolute_url(self):
        return reverse("documents:draft", kwargs={"slug": self.slug})

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at

    def closing_soon(self, now=None):
        now = now or timezone.now()
        return self.is_open(now) and self.closes_at - now <= datetime.timedelta(
            days=CLOSING_SOON_DAYS
        )


def file_upload_to(instance, filename):
    # Never the uploaded name: it may carry personal data or path tricks (see portal.files).
    from portal.files import random_file_name

    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return random_file_name("van-ban", extension)


class DocumentFile(NFCModel):
    """An attached file of a document or of a draft, checked by content (portal.files)."""

    document = models.ForeignKey(
        Document,
        verbose_name=_("văn bản"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    draft = models.ForeignKey(
        Draft,
        verbose_name=_("dự thảo"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    file = models.FileField(
        _("tệp"),
        upload_to=file_upload_to,
        max_length=200,
        help_text=_("PDF, DOC, DOCX, XLS, XLSX hoặc ZIP chứa các tệp đó. Kiểm tra theo nội dung."),
    )
    display_name = models.CharField(
        _("tên tệp khi tải về"),
        max_length=200,
        blank=True,
        help_text=_("Để trống để dùng tên tệp đã tải lên."),
    )
    title = models.CharField(
        _("mô tả"), max_length=200, blank=True, help_text=_("Ví dụ “Phụ lục kèm theo”.")
    )
    kind = models.CharField(_("định dạng"), max_length=8, editable=False, default="")
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0, editable=False)
    download_count = models.PositiveIntegerField(_("lượt tải"), default=0, editable=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    history = HistoricalRecords(
        verbose_name=_("lịch sử tệp văn bản"), excluded_fields=["download_count"]
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=True, draft__isnull=False)
                | Q(document__isnull=False, draft__isnull=True),
                name="document_file_has_one_owner",
                violation_error_message=FILE_NEEDS_ONE_OWNER,
            ),
        ]

    constraint_fields = {"document_file_has_one_owner": "document"}

    def __str__(self):
        return self.display_name or self.file.name

    def clean(self):
        from portal.files import check_document_file, clean_display_name

        if self.file and not self.file._committed:
            checked = check_document_file(self.file)
            self.kind = checked.kind
            self.size = checked.size
            uploaded_name = getattr(self.file, "name", "")
            self.display_name = clean_display_name(
                self.display_name or uploaded_name, checked.extension
            )

    @property
    def kind_label(self):
        from portal.files import KINDS

        return KINDS.get(self.kind, ("", "", self.kind.upper()))[2]

    @property
    def content_type(self):
        from portal.files import KINDS

        return KINDS.get(self.kind, ("", "application/octet-stream"))[1]

    @property
    def is_pdf(self):
        return self.kind == "pdf"

    def get_absolute_url(self):
        return reverse("documents:file", kwargs={"pk": self.pk})

    def get_inline_url(self):
        return reverse("documents:file-inline", kwargs={"pk": self.pk})


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=DraftComment.Status.PUBLISHED)


class DraftComment(NFCModel):
    """A citizen's comment on a draft; the contact details are kept for the reply only."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã công khai")
        REJECTED = "rejected", _("Không công khai")
        MERGED = "merged", _("Trùng, đã gộp")

    draft = models.ForeignKey(
        Draft, verbose_name=_("dự thảo"), on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("họ và tên"), max_length=150)
    organisation = models.CharField(_("cơ quan, tổ chức"), max_length=200, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    article_ref = models.CharField(
        _("điều, khoản góp ý"), max_length=100, blank=True, help_text=_("Ví dụ “Điều 5, khoản 2”.")
    )
    body = models.TextField(_("nội dung góp ý"), max_length=5000)
    consent = models.BooleanField(_("đồng ý xử lý dữ liệu cá nhân"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reject_reason = models.TextField(
        _("lý do không công khai (nội bộ)"),
        blank=True,
        help_text=_("Chỉ cán bộ xem được. Bắt buộc khi không công khai góp ý."),
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("gộp vào góp ý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now, editable=False)
    moderated_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    history = HistoricalRecords(verbose_name=_("lịch sử góp ý"))
    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("góp ý dự thảo")
        verbose_name_plural = _("góp ý dự thảo")
        permissions = [("moderate_draftcomment", _("Duyệt góp ý dự thảo"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""),
                name="draft_comment_rejected_has_reason",
                violation_error_message=REJECTED_NEEDS_REASON,
            ),
        ]

    constraint_fields = {"draft_comment_rejected_has_reason": "reject_reason"}

    def __str__(self):
        return f"{self.name}: {self.body[:60]}"

    def clean(self):
        if self.status == self.Status.REJECTED and not (self.reject_reason or "").strip():
            raise ValidationError({"reject_reason": REJECTED_NEEDS_REASON})
        if self.status == self.Status.MERGED and not self.merged_into_id:
            raise ValidationError({"merged_into": _("Hãy chọn góp ý được gộp vào.")})
