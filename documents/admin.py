from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from documents import imports, services
from documents.forms import DocumentImportForm
from documents.models import (
    Document,
    DocumentFile,
    DocumentRelation,
    DocumentType,
    Draft,
    DraftComment,
    Field,
    Issuer,
)
from portal.admin_history import HistoryAdmin
from portal.imports import Checked, ImportFlow


@admin.register(DocumentType)
class DocumentTypeAdmin(HistoryAdmin):
    list_display = ["name", "order", "slug"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Issuer)
class IssuerAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "order", "slug"]
    list_editable = ["order"]
    search_fields = ["name", "short_name"]


@admin.register(Field)
class FieldAdmin(HistoryAdmin):
    list_display = ["name", "parent", "order", "slug"]
    list_select_related = ["parent"]
    list_filter = ["parent"]
    search_fields = ["name"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Field.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FileInline(admin.TabularInline):
    model = DocumentFile
    extra = 1
    fields = ["file", "display_name", "title", "order", "kind", "size", "download_count"]
    readonly_fields = ["kind", "size", "download_count"]


class DraftFileInline(FileInline):
    fk_name = "draft"


class DocumentFileInline(FileInline):
    fk_name = "document"


class RelationInline(admin.TabularInline):
    model = DocumentRelation
    fk_name = "source"
    extra = 1
    autocomplete_fields = ["target"]
    verbose_name = _("quan hệ với văn bản khác")
    verbose_name_plural = _(
        "quan hệ với văn bản khác (hiện trên cả hai văn bản, ví dụ “Thay thế” ở văn bản này và "
        "“Được thay thế bởi” ở văn bản kia)"
    )


@admin.register(Document)
class DocumentAdmin(HistoryAdmin):
    list_display = ["number", "doc_type", "issuer", "issued_on", "status", "is_published"]
    list_select_related = ["doc_type", "issuer"]
    list_filter = ["doc_type", "issuer", "status", "is_published", "fields"]
    date_hierarchy = "issued_on"
    # Needed for autocomplete; the search itself is get_search_results (folded column, numbers).
    search_fields = ["search_text"]
    autocomplete_fields = ["co_issuers", "articles", "award_decisions"]
    filter_horizontal = ["fields"]
    inlines = [DocumentFileInline, RelationInline]
    fieldsets = [
        (None, {"fields": ["doc_type", "number", "issuer", "co_issuers", "summary"]}),
        (_("Ngày và hiệu lực"), {"fields": ["issued_on", "effective_on", "expires_on", "status"]}),
        (_("Người ký"), {"fields": ["signer_name", "signer_title"]}),
        (_("Phân loại"), {"fields": ["fields"]}),
        (_("Toàn văn"), {"fields": ["body"], "classes": ["collapse"]}),
        (_("Liên kết"), {"fields": ["articles", "award_decisions"]}),
        (_("Đăng tải"), {"fields": ["is_published", "published_at", "slug"]}),
    ]

    change_list_template = "admin/documents/document/change_list.html"

    def get_urls(self):
        return [
            path(
                "nhap-tu-tep/",
                self.admin_site.admin_view(self.import_view),
                name="documents_document_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload → preview with row-by-row errors → confirm once (portal.imports)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        changelist = reverse("admin:documents_document_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "columns": imports.IMPORT_COLUMNS,
            "breadcrumbs": [
                (
                    reverse("admin:app_list", args=[self.model._meta.app_label]),
                    self.model._meta.app_config.verbose_name,
                ),
                (changelist, capfirst(self.model._meta.verbose_name_plural)),
            ],
            "cancel_url": changelist,
        }
        return DocumentImport().view(request, context=context)

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete (the relation inline) and the change list: words or any number spelling.
        if not search_term:
            return queryset, False
        return queryset.search(search_term), False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        duplicates = services.document_duplicates(document=form.instance)
        if duplicates:
            messages.warning(
                request,
                gettext(
                    "Lưu ý: cơ quan ban hành này đã có văn bản cùng số, ký hiệu: %(list)s. "
                    "Hãy kiểm tra lại nếu đây không phải văn bản của năm khác."
                )
                % {
                    "list": "; ".join(
                        f"{d.doc_type.name} {d.number} ({d.issued_on:%d/%m/%Y})" for d in duplicates
                    )
                },
            )


class DocumentImport(ImportFlow):
    """A list of documents (one per row) added to the registry."""

    name = "documents.documents"
    title = _("Nhập danh sách văn bản từ tệp")
    form_class = DocumentImportForm
    preview_template = "admin/documents/document/import_preview.html"
    help_template = "admin/documents/document/import_help.html"

    def check(self, *, request, form, target):
        upload = form.cleaned_data["file"]
        report = imports.documents_parse(
            content=upload.read(imports.MAX_IMPORT_BYTES + 1), filename=upload.name
        )
        return Checked(rows=report.rows, errors=report.errors,
                       context={"warnings": report.warnings})  # fmt: skip

    def may_confirm(self, *, request, target, options):
        return request.user.has_perm("documents.add_document")

    def apply(self, *, request, target, rows, options):
        # A ValidationError here (the registry changed since the preview) rolls back and is
        # reported by the flow.
        count = len(imports.documents_import(rows=rows))
        return ngettext("Đã nhập %(n)d văn bản.", "Đã nhập %(n)d văn bản.", count) % {"n": count}

    def done_url(self, *, request, target, options):
        return reverse("admin:documents_document_changelist")


@admin.register(Draft)
class DraftAdmin(HistoryAdmin):
    list_display = ["title", "doc_type", "drafting_unit", "opens_at", "closes_at", "is_published"]
    list_select_related = ["doc_type"]
    list_filter = ["doc_type", "is_published"]
    search_fields = ["title", "drafting_unit"]
    autocomplete_fields = ["document"]
    inlines = [DraftFileInline]
    fields = [
        "title", "doc_type", "drafting_unit", "contact", "explanation", "opens_at", "closes_at",
        "is_published", "report", "document", "slug",
    ]  # fmt: skip


@admin.register(DraftComment)
class DraftCommentAdmin(HistoryAdmin):
    list_display = ["name", "draft", "article_ref", "short_body", "status", "created_at"]
    list_select_related = ["draft"]
    list_filter = ["status", "draft"]
    search_fields = ["name", "organisation", "body"]
    date_hierarchy = "created_at"
    actions = ["publish", "merge"]
    raw_id_fields = ["merged_into"]  # a select of every comment would grow without bound
    _CITIZEN_FIELDS = [
        "draft", "name", "organisation", "email", "phone", "article_ref", "body", "consent",
        "created_at", "moderated_at", "moderated_by",
    ]  # fmt: skip
    fields = [*_CITIZEN_FIELDS, "status", "reject_reason", "merged_into"]

    def has_add_permission(self, request):
        return False  # comments come from citizens only

    def has_moderate_permission(self, request):
        return request.user.has_perm("documents.moderate_draftcomment")

    def get_readonly_fields(self, request, obj=None):
        # What the citizen wrote is never edited; only a moderator sets the outcome.
        if self.has_moderate_permission(request):
            return self._CITIZEN_FIELDS
        return self.fields

    def save_model(self, request, obj, form, change):
        if change and {"status", "reject_reason", "merged_into"} & set(form.changed_data):
            obj.moderated_at = timezone.now()
            obj.moderated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("nội dung"))
    def short_body(self, obj):
        return obj.body[:100]

    @admin.action(description=_("Công khai các góp ý đã chọn"), permissions=["moderate"])
    def publish(self, request, queryset):
        count = services.comments_moderate(
            comments=queryset, status=DraftComment.Status.PUBLISHED, user=request.user
        )
        self.message_user(
            request, ngettext("Đã công khai %(n)d góp ý.", "Đã công khai %(n)d góp ý.", count)
            % {"n": count}, messages.SUCCESS,
        )  # fmt: skip

    @admin.action(
        description=_("Gộp các góp ý trùng vào góp ý gửi sớm nhất"), permissions=["moderate"]
    )
    def merge(self, request, queryset):
        comments = list(queryset.order_by("created_at", "id"))
        drafts = {c.draft_id for c in comments}
        if len(comments) < 2 or len(drafts) != 1:
            self.message_user(
                request,
                gettext("Chọn ít nhất hai góp ý của cùng một dự thảo để gộp."),
                messages.ERROR,
            )
            return
        keep = comments[0]
        count = services.comments_moderate(
            comments=comments[1:],
            status=DraftComment.Status.MERGED,
            user=request.user,
            merged_into=keep,
        )
        self.message_user(
            request,
            ngettext(
                "Đã gộp %(n)d góp ý vào góp ý của %(name)s.",
                "Đã gộp %(n)d góp ý vào góp ý của %(name)s.",
                count,
            )
            % {"n": count, "name": keep.name},
            messages.SUCCESS,
        )
