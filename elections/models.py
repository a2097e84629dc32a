"""Elections as Vietnamese law describes them (Luật Bầu cử 85/2015/QH13).

Place names, titles and terms are stored as text snapshots: later administrative mergers or a
change of post must never rewrite what was true on election day.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import NFCModel
from portal.text import normalize_document_number, unique_slug

TITLE_SEPARATOR = " - "


class ElectionQuerySet(models.QuerySet):
    def published(self):
        """What citizens may see."""
        return self.filter(is_published=True)


class Election(NFCModel):
    name = models.CharField(
        _("tên cuộc bầu cử"),
        max_length=300,
        help_text=_(
            "Ví dụ: “Bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp nhiệm kỳ "
            "2021 - 2026”."
        ),
    )
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Để trống để tạo tự động từ tên. Không đổi sau khi đã công bố."),
    )
    election_day = models.DateField(
        _("ngày bầu cử"), help_text=_("Nhập theo dạng ngày/tháng/năm, ví dụ 23/05/2021.")
    )
    directive = models.CharField(
        _("văn bản chỉ đạo"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: “Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị”."),
    )
    summary = models.TextField(
        _("giới thiệu"), blank=True, help_text=_("Một đoạn ngắn hiện ở đầu trang cuộc bầu cử.")
    )
    articles = models.ManyToManyField(
        "articles.Article",
        verbose_name=_("tin bài liên quan"),
        blank=True,
        related_name="elections",
        help_text=_("Chỉ những bài đã xuất bản mới hiện trên trang công khai."),
    )
    is_published = models.BooleanField(
        _("công khai"),
        default=False,
        help_text=_("Bỏ chọn để chuẩn bị dữ liệu trước khi công bố cho người dân."),
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lần cuối lúc"), auto_now=True)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        ordering = ["-election_day", "-id"]
        verbose_name = _("cuộc bầu cử")
        verbose_name_plural = _("cuộc bầu cử")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Election, self.name, instance=self, max_length=120)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("elections:detail", kwargs={"slug": self.slug})


class Contest(NFCModel):
    """One kind of election held on the election day (ĐBQH, HĐND tỉnh, ...)."""

    class Kind(models.TextChoices):
        NATIONAL_ASSEMBLY = "quoc-hoi", _("Đại biểu Quốc hội")
        PROVINCIAL_COUNCIL = "hdnd-tinh", _("Đại biểu HĐND tỉnh")
        DISTRICT_COUNCIL = "hdnd-huyen", _("Đại biểu HĐND cấp huyện")
        COMMUNE_COUNCIL = "hdnd-xa", _("Đại biểu HĐND cấp xã")

    # Art. 10: a unit elects at most 3 National Assembly deputies or 5 council deputies.
    MAX_SEATS = {Kind.NATIONAL_ASSEMBLY: 3}
    DEFAULT_MAX_SEATS = 5

    election = models.ForeignKey(
        Election, verbose_name=_("cuộc bầu cử"), on_delete=models.CASCADE, related_name="contests"
    )
    kind = models.CharField(_("loại bầu cử"), max_length=16, choices=Kind.choices)
    term = models.CharField(
        _("khóa / nhiệm kỳ"),
        max_length=100,
        help_text=_("Ví dụ: “khóa XV” hoặc “nhiệm kỳ 2021 - 2026”."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)

    class Meta:
        ordering = ["election", "order", "id"]
        verbose_name = _("loại bầu cử")
        verbose_name_plural = _("các loại bầu cử trong ngày bầu cử")
        constraints = [
            models.UniqueConstraint(fields=["election", "kind"], name="contest_unique_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.term}".strip()

    @property
    def is_national_assembly(self):
        return self.kind == self.Kind.NATIONAL_ASSEMBLY

    @property
    def max_seats(self):
        return self.MAX_SEATS.get(self.kind, self.DEFAULT_MAX_SEATS)


class Body(NFCModel):
    """An organisation in charge of the election, from the steering board to a polling team."""

    class Type(models.TextChoices):
        STEERING_BOARD = "ban-chi-dao", _("Ban Chỉ đạo bầu cử")
        COMMITTEE = "uy-ban", _("Ủy ban bầu cử")
        BOARD = "ban-bau-cu", _("Ban bầu cử")
        TEAM = "to-bau-cu", _("Tổ bầu cử")

    class Level(models.TextChoices):
        PROVINCE = "tinh", _("Cấp tỉnh")
        DISTRICT = "huyen", _("Cấp huyện")
        COMMUNE = "xa", _("Cấp xã")

    election = models.ForeignKey(
        Election, verbose_name=_("cuộc bầu cử"), on_delete=models.CASCADE, related_name="bodies"
    )
    type = models.CharField(_("loại tổ chức"), max_length=16, choices=Type.choices)
    level = models.CharField(_("cấp"), max_length=8, choices=Level.choices, default=Level.PROVINCE)
    name = models.CharField(
        _("tên"),
        max_length=300,
        help_text=_("Ví dụ: “Ban Chỉ đạo bầu cử tỉnh”, “Ban bầu cử đơn vị bầu cử số 1”."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("tổ chức cấp trên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("Ví dụ: Ban bầu cử thuộc Ủy ban bầu cử tỉnh."),
    )
    unit = models.ForeignKey(
        "ElectoralUnit",
        verbose_name=_("đơn vị bầu cử"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bodies",
        help_text=_("Với Ban bầu cử: đơn vị bầu cử mà ban phụ trách."),
    )
    decision_number = models.CharField(
        _("số quyết định thành lập"),
        max_length=60,
        blank=True,
        help_text=_("Ghi đúng như văn bản, ví dụ “522-QĐ/TU” hoặc “1234/QĐ-UBND”."),
    )
    decision_number_normalized = models.CharField(
        max_length=60, blank=True, editable=False, db_index=True
    )
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ đứng trước trên trang công khai.")
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)

    class Meta:
        ordering = ["election", "order", "id"]
        verbose_name = _("tổ chức phụ trách bầu cử")
        verbose_name_plural = _("tổ chức phụ trách bầu cử")

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                raise ValidationError({"parent": _("Tổ chức không thể là cấp trên của chính nó.")})
            if self.election_id and self.parent.election_id != self.election_id:
                raise ValidationError(
                    {"parent": _("Tổ chức cấp trên phải thuộc cùng cuộc bầu cử.")}
                )
        if self.unit_id and self.election_id and self.unit.contest.election_id != self.election_id:
            raise ValidationError({"unit": _("Đơn vị bầu cử phải thuộc cùng cuộc bầu cử.")})

    def save(self, *args, **kwargs):
        self.decision_number_normalized = normalize_document_number(self.decision_number)
        super().save(*args, **kwargs)


class Person(NFCModel):
    full_name = models.CharField(
        _("họ và tên"),
        max_length=150,
        help_text=_("Không ghi “Ông/Bà”. Ví dụ: “Lê Thị Thủy”."),
    )
    photo = models.ForeignKey(
        "articles.Image",
        verbose_name=_("ảnh chân dung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Chọn ảnh trong thư viện ảnh (ảnh có văn bản thay thế)."),
    )
    bio = models.TextField(_("tóm tắt tiểu sử"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("nhân sự")
        verbose_name_plural = _("nhân sự")

    def __str__(self):
        return self.full_name


class Membership(NFCModel):
    class Role(models.TextChoices):
        HEAD = "truong-ban", _("Trưởng ban")
        DEPUTY_HEAD = "pho-truong-ban", _("Phó Trưởng ban")
        CHAIR = "chu-tich", _("Chủ tịch")
        VICE_CHAIR = "pho-chu-tich", _("Phó Chủ tịch")
        SECRETARY = "thu-ky", _("Thư ký")
        COMMISSIONER = "uy-vien", _("Ủy viên")
        MEMBER = "thanh-vien", _("Thành viên")

    # Lower ranks are listed first.
    RANKS = {
        Role.HEAD: 1,
        Role.CHAIR: 1,
        Role.DEPUTY_HEAD: 2,
        Role.VICE_CHAIR: 2,
        Role.SECRETARY: 3,
        Role.COMMISSIONER: 4,
        Role.MEMBER: 4,
    }

    body = models.ForeignKey(
        Body, verbose_name=_("tổ chức"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("nhân sự"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("chức danh trong tổ chức"), max_length=16, choices=Role.choices)
    role_rank = models.PositiveSmallIntegerField(default=9, editable=False)
    titles = models.JSONField(
        _("chức vụ khi đó"),
        default=list,
        blank=True,
        help_text=_(
            "Mỗi dòng một chức vụ, theo thứ tự như văn bản, ví dụ “Ủy viên Trung ương Đảng”, "
            "“Bí thư Tỉnh ủy”. Đây là bản ghi tại thời điểm bầu cử: khi người này đổi chức vụ "
            "về sau, không sửa lại."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, help_text=_("Thứ tự trong cùng chức danh; số nhỏ đứng trước.")
    )

    class Meta:
        ordering = ["body", "role_rank", "order", "id"]
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        constraints = [
            models.UniqueConstraint(fields=["body", "person"], name="membership_unique_person"),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}"

    def clean(self):
        if not isinstance(self.titles, list) or not all(isinstance(t, str) for t in self.titles):
            raise ValidationError({"titles": _("Chức vụ phải là một danh sách các dòng chữ.")})

    def save(self, *args, **kwargs):
        self.role_rank = self.RANKS.get(self.role, 9)
        self.titles = [t.strip() for t in self.titles or [] if t and t.strip()]
        super().save(*args, **kwargs)

    @property
    def titles_display(self):
        """The titles joined the Vietnamese way: “Bí thư Tỉnh ủy - Trưởng Ban Chỉ đạo …”."""
        return TITLE_SEPARATOR.join(self.titles or [])


class ElectoralUnit(NFCModel):
    contest = models.ForeignKey(
        Contest, verbose_name=_("loại bầu cử"), on_delete=models.CASCADE, related_name="units"
    )
    number = models.PositiveSmallIntegerField(_("số đơn vị"), validators=[MinValueValidator(1)])
    area_description = models.TextField(
        _("địa bàn"),
        blank=True,
        help_text=_(
            "Ghi nguyên văn như nghị quyết ấn định đơn vị bầu cử, ví dụ “Gồm thành phố Phủ Lý "
            "và huyện Kim Bảng”. Tên địa danh là văn bản, không sửa khi địa giới thay đổi."
        ),
    )
    seats = models.PositiveSmallIntegerField(
        _("số đại biểu được bầu"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Tối đa 3 với đại biểu Quốc hội, tối đa 5 với đại biểu HĐND."),
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    # The seats decide who is elected: their changes are part of the results' history.
    history = HistoricalRecords()

    class Meta:
        ordering = ["contest", "number"]
        verbose_name = _("đơn vị bầu cử")
        verbose_name_plural = _("đơn vị bầu cử")
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="unit_unique_number"),
            models.CheckConstraint(
                condition=Q(seats__gte=1, seats__lte=5), name="unit_seats_1_to_5"
            ),
        ]

    def __str__(self):
        return _("Đơn vị bầu cử số %(number)s – %(contest)s") % {
            "number": self.number,
            "contest": self.contest,
        }

    def clean(self):
        if self.contest_id and self.seats and self.seats > self.contest.max_seats:
            raise ValidationError(
                {
                    "seats": _("Mỗi đơn vị bầu cử %(kind)s bầu tối đa %(max)s đại biểu.")
                    % {"kind": self.contest.get_kind_display(), "max": self.contest.max_seats}
                }
            )

    @property
    def label(self):
        return _("Đơn vị bầu cử số %(number)s") % {"number": self.number}


def _turnout_constraints(prefix):
    return [
        models.CheckConstraint(
            condition=Q(voted__isnull=True)
            | Q(registered__isnull=True)
            | Q(voted__lte=F("registered")),
            name=f"{prefix}_voted_lte_registered",
        ),
    ]


def validate_turnout(registered, voted):
    if registered is not None and voted is not None and voted > registered:
        raise ValidationError(
            {"voted": _("Số cử tri đã bỏ phiếu không được lớn hơn tổng số cử tri.")}
        )


def validate_ballots(*, issued, received, valid, invalid, voted=None):
    errors = {}
    if None not in (valid, invalid, received) and valid + invalid != received:
        errors["valid_ballots"] = _(
            "Số phiếu hợp lệ cộng số phiếu không hợp lệ phải bằng số phiếu thu vào "
            "(%(valid)s + %(invalid)s ≠ %(received)s)."
        ) % {"valid": valid, "invalid": invalid, "received": received}
    if None not in (issued, received) and received > issued:
        errors["ballots_received"] = _("Số phiếu thu vào không được lớn hơn số phiếu phát ra.")
    if None not in (voted, received) and received > voted:
        errors.setdefault(
            "ballots_received",
            _("Số phiếu thu vào không được lớn hơn số cử tri đã bỏ phiếu."),
        )
    if errors:
        raise ValidationError(errors)


def _ballot_constraints(prefix):
    return [
        models.CheckConstraint(
            condition=Q(valid_ballots__isnull=True)
            | Q(invalid_ballots__isnull=True)
            | Q(ballots_received__isnull=True)
            | Q(ballots_received=F("valid_ballots") + F("invalid_ballots")),
            name=f"{prefix}_valid_plus_invalid_eq_received",
        ),
        models.CheckConstraint(
            condition=Q(ballots_received__isnull=True)
            | Q(ballots_issued__isnull=True)
            | Q(ballots_received__lte=F("ballots_issued")),
            name=f"{prefix}_received_lte_issued",
        ),
        # Mirrors validate_ballots(voted=...): a ballot box cannot hold more ballots than
        # there were voters, whether the numbers come from the admin, an import or SQL.
        models.CheckConstraint(
            condition=Q(ballots_received__isnull=True)
            | Q(voted__isnull=True)
            | Q(ballots_received__lte=F("voted")),
            name=f"{prefix}_received_lte_voted",
            violation_error_message=_("Số phiếu thu vào không được lớn hơn số cử tri đã bỏ phiếu."),
        ),
    ]


class BallotFields(models.Model):
    """The ballot lines of the official minutes (biên bản), shared by area and unit."""

    ballots_issued = models.PositiveIntegerField(_("số phiếu phát ra"), null=True, blank=True)
    ballots_received = models.PositiveIntegerField(_("số phiếu thu vào"), null=True, blank=True)
    valid_ballots = models.PositiveIntegerField(_("số phiếu hợp lệ"), null=True, blank=True)
    invalid_ballots = models.PositiveIntegerField(_("số phiếu không hợp lệ"), null=True, blank=True)

    class Meta:
        abstract = True


class PollingArea(NFCModel, BallotFields):
    election = models.ForeignKey(
        Election,
        verbose_name=_("cuộc bầu cử"),
        on_delete=models.CASCADE,
        related_name="polling_areas",
    )
    unit = models.ForeignKey(
        ElectoralUnit,
        verbose_name=_("đơn vị bầu cử"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="polling_areas",
        help_text=_("Đơn vị bầu cử (thường là đơn vị bầu cử ĐBQH) mà khu vực này thuộc về."),
    )
    code = models.CharField(
        _("mã khu vực"), max_length=30, help_text=_("Mã hoặc số thứ tự khu vực bỏ phiếu.")
    )
    name = models.CharField(
        _("tên khu vực bỏ phiếu"),
        max_length=200,
        help_text=_("Ví dụ: “Khu vực bỏ phiếu số 3 – thôn Đồng Văn”."),
    )
    locality = models.CharField(
        _("xã / phường, huyện"),
        max_length=200,
        blank=True,
        help_text=_("Ghi nguyên văn tên địa danh tại thời điểm bầu cử."),
    )
    registered = models.PositiveIntegerField(_("tổng số cử tri"))
    voted = models.PositiveIntegerField(_("số cử tri đã bỏ phiếu"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["election", "code", "id"]
        verbose_name = _("khu vực bỏ phiếu")
        verbose_name_plural = _("khu vực bỏ phiếu")
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="area_unique_code"),
            models.CheckConstraint(
                condition=Q(voted__lte=F("registered")), name="area_voted_lte_registered"
            ),
            *_ballot_constraints("area"),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def clean(self):
        validate_turnout(self.registered, self.voted)
        validate_ballots(
            issued=self.ballots_issued,
            received=self.ballots_received,
            valid=self.valid_ballots,
            invalid=self.invalid_ballots,
            voted=self.voted,
        )
        if self.unit_id and self.election_id and self.unit.contest.election_id != self.election_id:
            raise ValidationError({"unit": _("Đơn vị bầu cử phải thuộc cùng cuộc bầu cử.")})


class TurnoutSummary(NFCModel):
    """The official turnout figures as published, when per-area numbers are not entered."""

    election = models.OneToOneField(
        Election,
        verbose_name=_("cuộc bầu cử"),
        on_delete=models.CASCADE,
        related_name="turnout_summary",
    )
    registered = models.PositiveIntegerField(_("tổng số cử tri"), null=True, blank=True)
    voted = models.PositiveIntegerField(_("số cử tri đã bỏ phiếu"), null=True, blank=True)
    percentage = models.DecimalField(
        _("tỷ lệ cử tri đi bầu (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Dùng dấu phẩy cho phần thập phân, ví dụ 99,47. Để trống để tính từ số cử tri."
        ),
    )
    areas_total = models.PositiveIntegerField(_("tổng số khu vực bỏ phiếu"), null=True, blank=True)
    areas_full = models.PositiveIntegerField(
        _("số khu vực có 100% cử tri đi bầu"), null=True, blank=True
    )
    source = models.CharField(
        _("nguồn số liệu"),
        max_length=300,
        help_text=_("Ví dụ: “Báo cáo tại Hội nghị tổng kết công tác bầu cử ngày 25/6/2021”."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["election"]
        verbose_name = _("số liệu tổng hợp cử tri đi bầu")
        verbose_name_plural = _("số liệu tổng hợp cử tri đi bầu")
        constraints = [
            *_turnout_constraints("summary"),
            models.CheckConstraint(
                condition=Q(percentage__isnull=True) | Q(percentage__gte=0, percentage__lte=100),
                name="summary_percentage_0_100",
            ),
            models.CheckConstraint(
                condition=Q(areas_full__isnull=True)
                | Q(areas_total__isnull=True)
                | Q(areas_full__lte=F("areas_total")),
                name="summary_areas_full_lte_total",
            ),
            models.CheckConstraint(
                condition=Q(percentage__isnull=False)
                | Q(registered__isnull=False, voted__isnull=False),
                name="summary_has_percentage_or_counts",
            ),
        ]

    def __str__(self):
        return _("Số liệu tổng hợp – %(election)s") % {"election": self.election}

    def clean(self):
        validate_turnout(self.registered, self.voted)
        if self.percentage is not None and not (0 <= self.percentage <= 100):
            raise ValidationError(
                {
                    "percentage": _(
                        "Tỷ lệ phải từ 0 đến 100. Dùng dấu phẩy cho phần thập phân "
                        "(99,47 chứ không phải 99.470)."
                    )
                }
            )
        if (
            self.areas_full is not None
            and self.areas_total is not None
            and self.areas_full > self.areas_total
        ):
            raise ValidationError(
                {"areas_full": _("Số khu vực đạt 100% không được lớn hơn tổng số khu vực.")}
            )
        if self.percentage is None and (self.registered is None or self.voted is None):
            raise ValidationError(
                _("Nhập tỷ lệ cử tri đi bầu, hoặc cả tổng số cử tri và số cử tri đã bỏ phiếu.")
            )
        if self.percentage is not None and self.registered and self.voted is not None:
            # The page shows all three: they must tell the same story.
            from portal.numbers import percentage

            computed = percentage(self.voted, self.registered)
            if abs(computed - Decimal(self.percentage)) > Decimal("0.01"):
                raise ValidationError(
                    {
                        "percentage": _(
                            "Tỷ lệ %(typed)s%% không khớp với số cử tri: %(voted)s/%(registered)s "
                            "là %(computed)s%%. Sửa lại, hoặc để trống tỷ lệ để tính tự động."
                        )
                        % {
                            "typed": number_format(self.percentage, 2),
                            "voted": number_format(self.voted, force_grouping=True),
                            "registered": number_format(self.registered, force_grouping=True),
                            "computed": number_format(computed, 2),
                        }
                    }
                )


class Candidate(NFCModel):
    class Gender(models.TextChoices):
        MALE = "nam", _("Nam")
        FEMALE = "nu", _("Nữ")

    unit = models.ForeignKey(
        ElectoralUnit,
        verbose_name=_("đơn vị bầu cử"),
        on_delete=models.CASCADE,
        related_name="candidates",
    )
    full_name = models.CharField(
        _("họ và tên"),
        max_length=150,
        help_text=_("Không ghi “Ông/Bà”; tên gọi khác ghi trong ngoặc."),
    )
    birth_date = models.DateField(
        _("ngày sinh"),
        null=True,
        blank=True,
        help_text=_(
            "Cần để xác định người trúng cử khi hai người bằng phiếu (người cao tuổi hơn)."
        ),
    )
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    hometown = models.CharField(_("quê quán"), max_length=200, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=50, blank=True)
    position = models.CharField(_("nghề nghiệp, chức vụ"), max_length=300, blank=True)
    workplace = models.CharField(_("nơi công tác"), max_length=300, blank=True)
    votes = models.PositiveIntegerField(
        _("số phiếu bầu"),
        null=True,
        blank=True,
        help_text=_("Theo biên bản xác định kết quả bầu cử của Ban bầu cử."),
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "full_name", "id"]
        verbose_name = _("người ứng cử")
        verbose_name_plural = _("người ứng cử")

    def __str__(self):
        return self.full_name


class UnitResult(NFCModel, BallotFields):
    """The unit's minutes (biên bản xác định kết quả bầu cử, Art. 77): counts only, no winners.

    Winners are computed by ``elections.services.unit_tally``, never typed.
    """

    unit = models.OneToOneField(
        ElectoralUnit,
        verbose_name=_("đơn vị bầu cử"),
        on_delete=models.CASCADE,
        related_name="result",
    )
    registered = models.PositiveIntegerField(
        _("tổng số cử tri"),
        null=True,
        blank=True,
        help_text=_("Để trống để cộng từ các khu vực bỏ phiếu của đơn vị."),
    )
    voted = models.PositiveIntegerField(
        _("số cử tri đã bỏ phiếu"),
        null=True,
        blank=True,
        help_text=_("Để trống để cộng từ các khu vực bỏ phiếu của đơn vị."),
    )
    is_rerun = models.BooleanField(
        _("kết quả bầu cử lại"),
        default=False,
        help_text=_(
            "Chọn khi đây là kết quả bầu cử lại: kết quả có giá trị dù tỷ lệ cử tri đi bầu "
            "vẫn không quá một nửa (Điều 80)."
        ),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit"]
        verbose_name = _("kết quả đơn vị bầu cử")
        verbose_name_plural = _("kết quả đơn vị bầu cử")
        constraints = [*_turnout_constraints("result"), *_ballot_constraints("result")]

    def __str__(self):
        return _("Kết quả – %(unit)s") % {"unit": self.unit}

    def clean(self):
        validate_turnout(self.registered, self.voted)
        validate_ballots(
            issued=self.ballots_issued,
            received=self.ballots_received,
            valid=self.valid_ballots,
            invalid=self.invalid_ballots,
            voted=self.voted,
        )
