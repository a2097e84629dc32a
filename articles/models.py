from functools import lru_cache

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Case, F, OuterRef, Q, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.models import NFCModel, save_with_unique_slug
from portal.pagination import PreferredFirst
from portal.richtext import RichTextField, html_to_text
from portal.text import document_number_words, fold_words, nfc

_SLUG_MARK = "slug-placeholder-0"


@lru_cache(maxsize=64)
def _slug_url_pattern(name, language, script_prefix):
    return reverse(name, kwargs={"slug": _SLUG_MARK})


def slug_url(name, slug):
    """``reverse(name, kwargs={"slug": slug})`` without resolving again for every link.

    A list or home page links every article and category twice or more: the pattern is
    reversed once per language and the slug put in its place.
    """
    return _slug_url_pattern(name, get_language(), get_script_prefix()).replace(_SLUG_MARK, slug)


class Category(NFCModel):
    name = models.CharField(_("tên chuyên mục"), max_length=150)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Để trống để tạo tự động từ tên (ví dụ: “Bầu cử” → “bau-cu”)."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("chuyên mục cha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Chỉ hai cấp: chuyên mục cha không được có cha."),
    )
    description = models.TextField(_("mô tả"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ đứng trước trong trình đơn.")
    )
    show_in_menu = models.BooleanField(_("hiện trên trình đơn"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("Chuyên mục không thể là cha của chính nó.")})
            if self.parent.parent_id:
                raise ValidationError(
                    {"parent": _("Chỉ hỗ trợ hai cấp: hãy chọn một chuyên mục cấp trên cùng.")}
                )
            if self.pk and self.children.exists():
                raise ValidationError(
                    {"parent": _("Chuyên mục này đang có chuyên mục con nên không thể có cha.")}
                )

    def save(self, *args, **kwargs):
        save_with_unique_slug(
            self, lambda: super(Category, self).save(*args, **kwargs), source=self.name,
            max_length=120,
        )  # fmt: skip

    def get_absolute_url(self):
        return slug_url("articles:category", self.slug)


class Image(NFCModel):
    """An uploaded, validated and re-encoded image with its renditions."""

    file = models.FileField(_("tệp ảnh"), upload_to="images/", max_length=200)
    width = models.PositiveIntegerField(_("rộng"), default=0, editable=False)
    height = models.PositiveIntegerField(_("cao"), default=0, editable=False)
    renditions = models.JSONField(_("các cỡ ảnh"), default=list, editable=False)
    alt_text = models.CharField(
        _("văn bản thay thế (alt)"),
        max_length=250,
        help_text=_(
            "Mô tả nội dung ảnh cho người khiếm thị, ví dụ “Đại biểu dự hội nghị tại điểm cầu "
            "UBND tỉnh”. Không dùng tên tệp."
        ),
    )
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)
    credit = models.CharField(_("tác giả ảnh"), max_length=150, blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ảnh")
        verbose_name_plural = _("thư viện ảnh")

    def __str__(self):
        return self.caption or self.alt_text

    def clean(self):
        from portal.images import looks_like_file_name

        if looks_like_file_name(self.alt_text):
            raise ValidationError(
                {"alt_text": _("Văn bản thay thế phải mô tả ảnh, không phải tên tệp.")}
            )

    @property
    def srcset_webp(self):
        return ", ".join(f"{settings.MEDIA_URL}{r['webp']} {r['w']}w" for r in self.renditions)

    @property
    def thumbnail_url(self):
        return self.rendition_url(320)

    def rendition_url(self, width=960):
        """URL of the smallest JPEG rendition at least ``width`` wide (or the largest)."""
        if not self.renditions:
            return self.file.url if self.file else ""
        fitting = [r for r in self.renditions if r["w"] >= width]
        chosen = fitting[0] if fitting else self.renditions[-1]
        return f"{settings.MEDIA_URL}{chosen['jpeg']}"


# Among equally relevant matches (both in the title, or both not), the newest first.
SEARCH_ORDER = ("-publish_at", "-id")


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What citizens may see: published, due, and not yet taken down."""
        now = now or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now).filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)
        )

    def for_listing(self):
        return self.select_related("category", "cover").defer("body", "search_text", "search_title")

    def _search_conditions(self, query):
        """What matches ``query`` and what matches it in the title, or ``None`` for a query
        with no words. The title is part of the searched text: a title match is a match."""
        phrase = " ".join(fold_words(query).split()[:12])
        if not phrase:
            return None
        # Typed in lower case too: read the query as capitals for the second shape.
        numbers = document_number_words(nfc(query).upper())
        if connections[self.db].vendor == "postgresql":
            tsquery = " || ".join(
                ["phraseto_tsquery('simple', %s)"]
                + ["plainto_tsquery('simple', %s)"] * len(numbers)
            )
            matches = RawSQL(  # noqa: S611 - fixed SQL; the words are parameters
                f'"articles_article"."search_vector" @@ ({tsquery})',
                [phrase, *numbers],
                output_field=models.BooleanField(),
            )
            # The expression of the title's GIN index (migration 0008).
            in_title = RawSQL(
                'to_tsvector(\'simple\', "articles_article"."search_title") '
                "@@ phraseto_tsquery('simple', %s)",
                [phrase],
                output_field=models.BooleanField(),
            )
        else:
            matches = Q(search_text__contains=f" {phrase} ")
            for number in numbers:
                matches |= Q(search_text__contains=f" {number} ")
            in_title = Q(search_title__contains=f" {phrase} ")
        return matches, in_title

    def search(self, query):
        """Articles containing the query's syllables as a phrase, title matches first.

        ``bau cu`` finds "bầu cử" (accents, đ, case and Unicode form folded) but not "cuộc".
        A document number in any of its usual spellings (``45-CT/TW``, ``45/CT-TW``,
        ``45 CT TW``) also finds it written any other way. On PostgreSQL the match is
        full-text search over a GIN-indexed ``tsvector`` of the folded words (migration
        0004); elsewhere ``LIKE`` over the same words: the same rows on both.
        """
        conditions = self._search_conditions(query)
        if conditions is None:
            return self.none()
        matches, in_title = conditions
        title_match = Case(When(in_title, then=Value(1)), default=Value(0))
        return (
            self.filter(matches)
            .alias(title_match=title_match)
            .order_by("-title_match", *SEARCH_ORDER)
        )

    def search_pages(self, query):
        """The rows of :meth:`search` in the same order, for a paginator: read a page at a
        time with indexes, whatever the number of matches (``PreferredFirst``)."""
        conditions = self._search_conditions(query) or (Q(pk__in=[]), Q(pk__in=[]))
        return PreferredFirst(self, *conditions, SEARCH_ORDER)

    def latest_per_category(self, per_category=4):
        """The newest ``per_category`` articles of each category, in a fixed number of queries.

        Each category's newest rows are picked by a ``LIMIT`` subquery, which reads the
        (category, publish_at) index and stops after ``per_category`` rows; ranking all
        published articles instead grows with the archive (41 ms at 5,000 articles).
        """
        if connections[self.db].vendor == "postgresql":
            # One query over the categories, each with an array of its newest ids: the
            # subquery is compiled once (a UNION of one subquery per category compiled 30).
            newest_ids = ArraySubquery(
                self.filter(category_id=OuterRef("pk"))
                .order_by("-publish_at", "-id")
                .values("pk")[:per_category]
            )
            rows = Category.objects.order_by().annotate(ids=newest_ids).values_list("ids")
            # No id at all still runs the query below (an IN list Django cannot empty out),
            # so the page's query count does not depend on its content.
            newest = Q(pk__in=[pk for (ids,) in rows for pk in ids] or [0])
        else:
            # SQLite allows no LIMIT inside a UNION or an ARRAY (its archives are small): one
            # bounded subquery per category, OR-ed. With no category the same form keeps the
            # query count the same whatever the content.
            newest = Q(pk__in=[])
            for category_id in Category.objects.order_by().values_list("pk", flat=True):
                newest |= Q(
                    pk__in=self.filter(category_id=category_id)
                    .order_by("-publish_at", "-id")
                    .values("pk")[:per_category]
                )
        ranked = self.filter(newest).annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("category_id")],
                order_by=[F("publish_at").desc(), F("id").desc()],
            )
        )
        return ranked.filter(rank__lte=per_category)


UNPUBLISH_BEFORE_PUBLISH = _("Thời điểm gỡ bài phải sau thời điểm xuất bản.")


def article_search_text(title, summary, body):
    """The folded search column of an article: its folded words, then each document number
    in its canonical form (also used by the migrations that refill it)."""
    text = " ".join([title, summary, html_to_text(body)])
    numbers = " ".join(document_number_words(text))
    return fold_words(f"{text} {numbers}")


class Article(NFCModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        REVIEW = "review", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã xuất bản")

    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Để trống để tạo tự động từ tiêu đề. Không đổi sau khi đã xuất bản."),
    )
    summary = models.TextField(
        _("sapo (tóm tắt)"),
        max_length=1000,
        help_text=_("Một đến ba câu, hiện dưới tiêu đề và trong danh sách tin."),
    )
    body = RichTextField(_("nội dung"), blank=True)
    cover = models.ForeignKey(
        Image,
        verbose_name=_("ảnh đại diện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("chuyên mục"), on_delete=models.PROTECT, related_name="articles"
    )
    source = models.CharField(
        _("nguồn / tác giả"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: “Theo Văn phòng Tỉnh ủy” hoặc tên phóng viên."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        _("thời điểm xuất bản"),
        null=True,
        blank=True,
        help_text=_(
            "Để trống khi xuất bản ngay. Đặt thời điểm trong tương lai để hẹn giờ: bài tự hiện "
            "khi đến giờ."
        ),
    )
    unpublish_at = models.DateTimeField(
        _("thời điểm gỡ bài"),
        null=True,
        blank=True,
        help_text=_("Tùy chọn: bài tự ẩn khỏi cổng từ thời điểm này."),
    )
    is_featured = models.BooleanField(
        _("tin nổi bật"), default=False, help_text=_("Tin nổi bật mới nhất hiện đầu trang chủ.")
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False, editable=False)
    # Folded words of the title, summary and body, and of the title alone (portal.text).
    search_text = models.TextField(editable=False, default="")
    search_title = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lần cuối lúc"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa cuối"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        permissions = [("publish_article", _("Có thể xuất bản và gỡ bài viết"))]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="article_status_publish_idx"),
            models.Index(fields=["category", "publish_at"], name="article_cat_publish_idx"),
            # The next scheduled change bounds every cached page (portal/pagecache.py).
            models.Index(fields=["publish_at"], name="article_publish_idx"),
            models.Index(fields=["unpublish_at"], name="article_unpublish_idx"),
            # The home page's featured article: the newest featured one, else the newest.
            models.Index(fields=["is_featured", "publish_at", "id"], name="article_featured_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(unpublish_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(unpublish_at__gt=F("publish_at")),
                name="article_unpublish_after_publish",
                violation_error_message=UNPUBLISH_BEFORE_PUBLISH,
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="article_published_has_date",
                violation_error_message=_("Bài đã xuất bản phải có thời điểm xuất bản."),
            ),
        ]

    constraint_fields = {
        "article_unpublish_after_publish": "unpublish_at",
        "article_published_has_date": "publish_at",
    }

    def __str__(self):
        return self.title

    def clean(self):
        # The form validates the database constraints after clean(): "publish now" must
        # already have its time, or article_published_has_date refuses the empty field.
        self.fill_publish_at()
        if self.unpublish_at and self.publish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError({"unpublish_at": UNPUBLISH_BEFORE_PUBLISH})

    def fill_publish_at(self):
        """Published with an empty publish time means "now" (help text and README)."""
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()

    def save(self, *args, **kwargs):
        self.fill_publish_at()
        self.refresh_search_text()
        save_with_unique_slug(
            self, lambda: super(Article, self).save(*args, **kwargs), source=self.title,
            max_length=120,
        )  # fmt: skip

    def refresh_search_text(self):
        self.search_text = article_search_text(self.title, self.summary, self.body)
        self.search_title = fold_words(self.title)

    def get_absolute_url(self):
        return slug_url("articles:detail", self.slug)

    @property
    def is_live(self):
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )


class ArticlePhoto(NFCModel):
    article = models.ForeignKey(
        Article, verbose_name=_("bài viết"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ForeignKey(
        Image, verbose_name=_("ảnh"), on_delete=models.PROTECT, related_name="+"
    )
    caption = models.CharField(
        _("chú thích"),
        max_length=300,
        help_text=_(
            "Chú thích hiện dưới ảnh, ví dụ “Đại biểu dự hội nghị tại điểm cầu UBND tỉnh”."
        ),
    )
    alt_text = models.CharField(
        _("văn bản thay thế (alt)"),
        max_length=250,
        blank=True,
        help_text=_("Để trống để dùng văn bản thay thế của ảnh trong thư viện."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("ảnh trong bài")
        verbose_name_plural = _("ảnh trong bài")

    def __str__(self):
        return self.caption

    @property
    def alt(self):
        return self.alt_text or self.image.alt_text
