"""The agency: introduction pages, units, contact officials and the portal's contact details.

NĐ 42/2022/NĐ-CP (Art. 4 and 7) requires these, with an English version: the text fields
listed in ``organisation/translation.py`` get ``_vi`` and ``_en`` columns through
django-modeltranslation; an empty English value falls back to the Vietnamese one.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import NFCModel, save_with_unique_slug
from portal.richtext import RichTextField
from portal.text import SORT_KEY_MAX_LENGTH, name_sort_key


class TranslatedModel(NFCModel):
    """NFC on save without copying a fallback into the current language's column.

    modeltranslation's descriptor for ``name`` reads the Vietnamese value when the English one
    is empty and writes to the *current* language's column; normalising ``name`` (or
    sanitising ``body``) while English is active would copy the Vietnamese text into ``name_en``.
    ``_mt_disable`` makes such writes touch the base attribute only; the ``_vi``/``_en``
    columns are normalised as ordinary fields.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._mt_disable = True
        try:
            super().save(*args, **kwargs)
        finally:
            del self._mt_disable


class IntroPageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class IntroPage(TranslatedModel):
    title = models.CharField(
        _("tiêu đề"), max_length=200, help_text=_("Ví dụ “Giới thiệu chung”, “Lịch sử hình thành”.")
    )
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Để trống để tạo tự động từ tiêu đề tiếng Việt."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trang cha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Để trống với trang cấp trên cùng. Tối đa ba cấp."),
    )
    summary = models.CharField(
        _("tóm tắt"), max_length=300, blank=True, help_text=_("Một câu, hiện trong danh sách.")
    )
    body = RichTextField(_("nội dung"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ đứng trước.")
    )
    is_published = models.BooleanField(_("công khai"), default=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = IntroPageQuerySet.as_manager()

    MAX_DEPTH = 3

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("trang giới thiệu")
        verbose_name_plural = _("trang giới thiệu")

    def __str__(self):
        return self.title

    def clean(self):
        depth, node, seen = 1, self.parent, set()
        while node is not None:
            if node.pk == self.pk or node.pk in seen:
                raise ValidationError({"parent": _("Trang không thể nằm dưới chính nó.")})
            seen.add(node.pk)
            depth += 1
            node = node.parent
        if depth > self.MAX_DEPTH:
            raise ValidationError({"parent": _("Cây trang giới thiệu có tối đa ba cấp.")})

    def save(self, *args, **kwargs):
        save_with_unique_slug(
            self, lambda: super(IntroPage, self).save(*args, **kwargs),
            source=self.title_vi or self.title, max_length=120,
        )  # fmt: skip

    def get_absolute_url(self):
        return reverse("organisation:page", kwargs={"slug": self.slug})


class Unit(TranslatedModel):
    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("Lãnh đạo")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        LOCAL = "local", _("UBND cấp xã, phường")
        OTHER = "other", _("Đơn vị khác")

    name = models.CharField(_("tên đơn vị"), max_length=200)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True, blank=True)
    kind = models.CharField(_("khối"), max_length=12, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Đơn vị trực thuộc chọn đơn vị cấp trên; để trống với cấp cao nhất."),
    )
    functions = RichTextField(
        _("chức năng, nhiệm vụ"),
        blank=True,
        help_text=_("Tóm tắt chức năng, nhiệm vụ theo quyết định thành lập."),
    )
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=60, blank=True)
    fax = models.CharField(_("fax"), max_length=60, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = models.URLField(_("trang thông tin điện tử"), blank=True)
    head_name = models.CharField(_("người đứng đầu"), max_length=120, blank=True)
    head_position = models.CharField(
        _("chức vụ người đứng đầu"), max_length=150, blank=True, help_text=_("Ví dụ “Giám đốc”.")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("cơ cấu tổ chức – đơn vị")

    def __str__(self):
        return self.name

    def clean(self):
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk or node.pk in seen:
                raise ValidationError({"parent": _("Đơn vị không thể trực thuộc chính nó.")})
            seen.add(node.pk)
            node = node.parent

    def save(self, *args, **kwargs):
        save_with_unique_slug(
            self, lambda: super(Unit, self).save(*args, **kwargs),
            source=self.name_vi or self.name, max_length=120,
        )  # fmt: skip

    def get_absolute_url(self):
        return reverse("organisation:units") + f"#{self.slug}"


class Official(TranslatedModel):
    name = models.CharField(_("họ và tên"), max_length=120)
    position = models.CharField(_("chức vụ"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="officials"
    )
    phone = models.CharField(_("điện thoại"), max_length=60, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    sort_key = models.CharField(
        max_length=SORT_KEY_MAX_LENGTH, editable=False, db_index=True, default=""
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)

    class Meta:
        ordering = ["unit__order", "unit_id", "order", "id"]
        verbose_name = _("cán bộ đầu mối liên hệ")
        verbose_name_plural = _("cán bộ đầu mối liên hệ")

    def __str__(self):
        return f"{self.name} – {self.position}"

    def save(self, *args, **kwargs):
        # The admin's name column sorts by this key: Vietnamese name order, given name first.
        self.sort_key = name_sort_key(self.name)
        super().save(*args, **kwargs)


class SiteContact(TranslatedModel):
    """The portal's own details (one record): the contact page and every page's footer."""

    agency_name = models.CharField(
        _("cơ quan chủ quản"), max_length=200, help_text=_("Ví dụ “Ủy ban nhân dân tỉnh Hà Nam”.")
    )
    responsible_person = models.CharField(
        _("người chịu trách nhiệm"),
        max_length=200,
        help_text=_("Họ tên và chức vụ, ví dụ “Nguyễn Văn A – Chánh Văn phòng UBND tỉnh”."),
    )
    address = models.CharField(_("địa chỉ"), max_length=300)
    phone = models.CharField(_("điện thoại"), max_length=60, blank=True)
    hotline = models.CharField(
        _("đường dây nóng"), max_length=60, blank=True, help_text=_("Hiện trên trang chủ.")
    )
    fax = models.CharField(_("fax"), max_length=60, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    licence = models.CharField(
        _("giấy phép"),
        max_length=300,
        blank=True,
        help_text=_("Dòng giấy phép hiện ở chân trang, ví dụ “Giấy phép số …/GP-TTĐT ngày …”."),
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("thông tin liên hệ của cổng")
        verbose_name_plural = _("thông tin liên hệ của cổng")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=1),
                name="sitecontact_singleton",
                violation_error_message=_(
                    "Cổng chỉ có một bản thông tin liên hệ: hãy sửa bản đã có thay vì thêm mới."
                ),
            )
        ]

    # The one record has no field of its own for this rule: shown beside the agency's name.
    constraint_fields = {"sitecontact_singleton": "agency_name"}

    def __str__(self):
        return self.agency_name

    def save(self, *args, **kwargs):
        # One record only: the constraint refuses any other id.
        self.pk = 1
        super().save(*args, **kwargs)


class AgencyLink(TranslatedModel):
    """Links to other state agencies (NĐ 42/2022 Art. 7), shown in the footer."""

    name = models.CharField(_("tên cơ quan"), max_length=200)
    url = models.URLField(_("địa chỉ trang"), help_text=_("Bắt đầu bằng https://"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("liên kết cơ quan nhà nước")
        verbose_name_plural = _("liên kết cơ quan nhà nước")

    def __str__(self):
        return self.name
