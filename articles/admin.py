from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import render
from django.urls import path
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.forms import ArticleAdminForm, ImageUploadForm
from articles.models import Article, ArticlePhoto, Category, Image
from articles.services import (
    articles_set_status,
    articles_using_image,
    can_change_image,
    can_edit,
    can_publish,
    image_key,
)
from portal.images import delete_files, store_image
from portal.text import nfc, search_words


class FoldedSearchMixin:
    """Admin search over the folded ``search_text`` column: accents, case and NFD ignored."""

    folded_search_field = "search_text"

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        for word in search_words(search_term):
            queryset = queryset.filter(**{f"{self.folded_search_field}__contains": word})
        return queryset, False


def thumbnail(image, width=96):
    if image is None:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" loading="lazy" class="admin-thumb">',
        image.thumbnail_url,
        image.alt_text,
        width,
    )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "order", "show_in_menu", "slug"]
    list_editable = ["order", "show_in_menu"]
    list_select_related = ["parent"]
    list_filter = ["parent", "show_in_menu"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {}
    fields = ["name", "slug", "parent", "description", "order", "show_in_menu"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Category.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _stored_names(image):
    """The storage names of an image's original and renditions."""
    return [image.file.name] + [n for r in image.renditions for n in (r["webp"], r["jpeg"])]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageUploadForm
    list_display = ["preview", "alt_text", "caption", "size", "created_at", "created_by"]
    list_select_related = ["created_by"]
    search_fields = ["alt_text", "caption", "credit"]
    date_hierarchy = "created_at"
    readonly_fields = ["preview_large", "size"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["upload", "alt_text", "caption", "credit"]
        return ["preview_large", "size", "upload", "alt_text", "caption", "credit"]

    @admin.display(description=_("Ảnh"))
    def preview(self, obj):
        return thumbnail(obj)

    @admin.display(description=_("Xem trước"))
    def preview_large(self, obj):
        return thumbnail(obj, width=320)

    @admin.display(description=_("Kích thước"))
    def size(self, obj):
        return f"{obj.width} × {obj.height}"

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or can_change_image(request.user, obj)

    def get_deleted_objects(self, objs, request):
        # Covers would silently be emptied (SET_NULL) and inline images in bodies would break:
        # an image that any article shows cannot be deleted until it is taken out.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        label = capfirst(Article._meta.verbose_name)
        for image in objs:
            for article in articles_using_image(image):
                entry = f"{label}: {article}"
                if entry not in protected:
                    protected.append(entry)
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        self.delete_queryset(request, Image.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        # Only images no article shows get here (get_deleted_objects): their files go too,
        # once the rows are gone for good, so storage (a disk or a bucket) does not fill up.
        names = [name for image in queryset for name in _stored_names(image)]
        super().delete_queryset(request, queryset)
        transaction.on_commit(lambda: delete_files(names))

    def save_model(self, request, obj, form, change):
        processed = form.cleaned_data.get("upload")
        old_files = []
        new_files = []
        if processed is not None:
            # Article bodies link to the old renditions by URL: keep them while one does.
            if change and not Article.objects.filter(body__contains=image_key(obj)).exists():
                old_files = _stored_names(obj)
            original, renditions = store_image(processed)
            new_files = _stored_names(Image(file=original, renditions=renditions))
            obj.file = original
            obj.renditions = renditions
            obj.width, obj.height = processed.width, processed.height
        if not change:
            obj.created_by = request.user
        try:
            with transaction.atomic():
                super().save_model(request, obj, form, change)
        except Exception:
            delete_files(new_files)
            raise
        if old_files:
            transaction.on_commit(lambda: delete_files(old_files))

    def get_urls(self):
        return [
            path(
                "browse/",
                self.admin_site.admin_view(self.browse_view),
                name="articles_image_browse",
            ),
            *super().get_urls(),
        ]

    def browse_view(self, request):
        """The editor's "browse server" window: pick an image already uploaded here."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = nfc(request.GET.get("q", "")[:200]).strip()
        images = Image.objects.all()
        if query:
            images = images.filter(alt_text__icontains=query) | images.filter(
                caption__icontains=query
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Chọn ảnh từ thư viện"),
            "images": images[:120],
            "query": query,
            "func_num": request.GET.get("CKEditorFuncNum", ""),
            "is_popup": True,
        }
        return render(request, "admin/articles/image_browse.html", context)


class ArticlePhotoInline(admin.TabularInline):
    model = ArticlePhoto
    extra = 0
    autocomplete_fields = ["image"]
    fields = ["order", "image", "preview", "caption", "alt_text"]
    readonly_fields = ["preview"]
    ordering = ["order", "id"]

    @admin.display(description=_("Ảnh"))
    def preview(self, obj):
        return thumbnail(obj.image) if obj.pk else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("image")

    def _can_edit_parent(self, request, obj):
        return obj is None or can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._can_edit_parent(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._can_edit_parent(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._can_edit_parent(request, obj)


class StatusFilter(admin.SimpleListFilter):
    title = _("hiển thị")
    parameter_name = "live"

    def lookups(self, request, model_admin):
        return [("live", _("Đang hiện trên cổng")), ("scheduled", _("Hẹn giờ xuất bản"))]

    def queryset(self, request, queryset):
        from django.utils import timezone

        if self.value() == "live":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())
        return queryset


@admin.register(Article)
class ArticleAdmin(FoldedSearchMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [ArticlePhotoInline]
    list_display = [
        "title",
        "category",
        "status",
        "publish_at",
        "is_featured",
        "updated_at",
        "updated_by",
    ]
    list_select_related = ["category", "updated_by"]
    list_filter = ["status", StatusFilter, "category", "is_featured", "publish_at"]
    search_fields = ["title"]
    search_help_text = _("Tìm theo tiêu đề, sapo và nội dung; gõ có dấu hay không dấu đều được.")
    date_hierarchy = "publish_at"
    autocomplete_fields = ["cover"]
    readonly_fields = ["cover_preview", "created_at", "created_by", "updated_at", "updated_by"]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body"]}),
        (_("Ảnh đại diện"), {"fields": ["cover", "cover_preview"]}),
        (
            _("Xuất bản"),
            {"fields": ["status", "publish_at", "unpublish_at", "is_featured", "source"]},
        ),
        (
            _("Lịch sử"),
            {
                "classes": ["collapse"],
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
            },
        ),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)

        class RequestForm(form_class):
            def __init__(self, *args, **kw):
                kw.setdefault("user", request.user)
                super().__init__(*args, **kw)

        return RequestForm

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("status", Article.Status.DRAFT)
        return initial

    @admin.display(description=_("Xem trước ảnh đại diện"))
    def cover_preview(self, obj):
        return thumbnail(obj.cover, width=240)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def _set_status(self, request, queryset, status):
        fields = [str(Article._meta.get_field("status").verbose_name)]

        def log(article):
            self.log_change(request, article, [{"changed": {"fields": fields}}])

        changed, expired = articles_set_status(
            articles=queryset, status=status, user=request.user, on_change=log
        )
        self.message_user(
            request,
            ngettext("Đã cập nhật %(n)d bài viết.", "Đã cập nhật %(n)d bài viết.", changed)
            % {"n": changed},
            messages.SUCCESS,
        )
        if expired:
            self.message_user(
                request,
                ngettext(
                    "%(n)d bài không được xuất bản vì thời điểm gỡ bài đã qua.",
                    "%(n)d bài không được xuất bản vì thời điểm gỡ bài đã qua.",
                    expired,
                )
                % {"n": expired},
                messages.WARNING,
            )

    @admin.action(description=_("Xuất bản các bài đã chọn"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED)

    @admin.action(description=_("Gỡ các bài đã chọn (về bản nháp)"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._set_status(request, queryset, Article.Status.DRAFT)
