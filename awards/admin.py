from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from awards.exports import (
    ORDERS,
    ExportFilters,
    clean_param,
    decision_search_q,
    decision_year_q,
    filters_parse,
    is_slug,
    parse_year,
    recipient_search_q,
)
from awards.forms import ImportForm
from awards.models import Authority, AwardForm, Decision, ExportLog, Recipient, award_q
from awards.services import decision_reconcile, recipients_import, recipients_parse
from awards.views import export_response
from portal.admin_history import HistoryAdmin
from portal.imports import Checked, ImportFlow
from portal.numbers import COUNT_FIELD_OVERRIDES

EXPORT_PERMISSION = "awards.export_awards"


# ---------------------------------------------------------------------------------------------
# Filters whose parameter names are the export's, so "export this filtered list" passes the
# changelist's query string straight to the export.


class _PrefixedFilter(admin.SimpleListFilter):
    prefix = ""

    def value(self):
        return clean_param(super().value())


class AuthorityFilter(_PrefixedFilter):
    title = _("cơ quan khen thưởng")
    parameter_name = "authority"

    def lookups(self, request, model_admin):
        return [(a.slug, a.name) for a in Authority.objects.all()]

    def queryset(self, request, queryset):
        if is_slug(self.value()):
            return queryset.filter(**{f"{self.prefix}authority__slug": self.value()})
        return queryset


class FormFilter(_PrefixedFilter):
    title = _("hình thức khen thưởng")
    parameter_name = "form"

    def lookups(self, request, model_admin):
        return [(f.slug, f.name) for f in AwardForm.objects.all()]

    def queryset(self, request, queryset):
        if is_slug(self.value()):
            return queryset.filter(**{f"{self.prefix}form__slug": self.value()})
        return queryset


class YearFilter(_PrefixedFilter):
    title = _("năm")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = set()
        for field in ("date", "proposal_date"):
            years.update(d.year for d in Decision.objects.dates(field, "year"))
        return [(str(y), str(y)) for y in sorted(years, reverse=True)]

    def queryset(self, request, queryset):
        year = parse_year(self.value())
        if year is not None:
            return queryset.filter(decision_year_q(year, self.prefix))
        return queryset


class StatusFilter(_PrefixedFilter):
    title = _("tình trạng")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Decision.Status.choices

    def queryset(self, request, queryset):
        award = award_q(self.prefix)
        if self.value() == Decision.Status.DECIDED:
            return queryset.filter(award)
        if self.value() == Decision.Status.PROPOSED:
            return queryset.exclude(award)
        return queryset


class RecipientAuthorityFilter(AuthorityFilter):
    prefix = "decision__"


class RecipientFormFilter(FormFilter):
    prefix = "decision__"


class RecipientYearFilter(YearFilter):
    prefix = "decision__"


class RecipientStatusFilter(StatusFilter):
    prefix = "decision__"


class KindFilter(_PrefixedFilter):
    title = _("loại")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return Recipient.Kind.choices

    def queryset(self, request, queryset):
        if self.value() in Recipient.Kind.values:
            return queryset.filter(kind=self.value())
        return queryset


class DecisionFilter(_PrefixedFilter):
    title = _("quyết định")
    parameter_name = "decision"

    def lookups(self, request, model_admin):
        return [(d.slug, str(d)[:80]) for d in Decision.objects.only(*_DECISION_LABEL_FIELDS)]

    def queryset(self, request, queryset):
        if is_slug(self.value()):
            return queryset.filter(decision__slug=self.value())
        return queryset


_DECISION_LABEL_FIELDS = ("slug", "status", "number", "proposal_number", "title", "date")


# ---------------------------------------------------------------------------------------------


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    fields = ["name", "short_name", "kind", "order", "slug"]


@admin.register(AwardForm)
class AwardFormAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    search_fields = ["name"]
    fields = ["name", "order", "slug"]


class RecipientInline(admin.TabularInline):
    model = Recipient
    fields = ["order", "kind", "name", "position", "unit", "achievement"]
    extra = 0
    ordering = ["kind", "order", "id"]
    show_change_link = True


class ExportButtonsMixin:
    """Export actions and the "export this filtered list" buttons (export permission only)."""

    # The export parameter that carries this changelist's search box.
    export_search_param = "q"

    def has_export_permission(self, request):
        return request.user.has_perm(EXPORT_PERMISSION)

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_export_permission(request):
            query = request.GET.copy()
            search = clean_param(query.get("q"))
            for key in ("p", "o", "q", "e", "_changelist_filters", "all", "order", "format"):
                query.pop(key, None)
            if search:
                query[self.export_search_param] = search
            # A small GET form: the list's filters as hidden fields, the order as a choice,
            # and one button per format (no script needed).
            extra_context["export_form"] = {
                "action": reverse("admin:awards_export"),
                "hidden": [(key, value) for key in query for value in query.getlist(key)],
                "orders": list(ORDERS.items()),
                "formats": [
                    ("csv", gettext("Xuất CSV danh sách đang lọc")),
                    ("xlsx", gettext("Xuất XLSX danh sách đang lọc")),
                ],
            }
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(Decision)
class DecisionAdmin(ExportButtonsMixin, HistoryAdmin):
    # The declared counts follow the portal's one number rule (71, or 1.234 grouped).
    formfield_overrides = COUNT_FIELD_OVERRIDES
    list_display = [
        "display_number",
        "title",
        "display_date",
        "authority",
        "form",
        "display_status",
        "reconciliation",
        "is_demo",
    ]
    list_display_links = ["display_number", "title"]
    list_filter = [AuthorityFilter, FormFilter, YearFilter, StatusFilter]
    list_select_related = ["authority", "form"]
    search_fields = ["title", "number", "proposal_number"]
    search_help_text = _("Tìm theo số quyết định (1234/QĐ-UBND, 1234 QD UBND…) hoặc trích yếu.")
    autocomplete_fields = ["authority", "proposed_by", "form", "article", "election"]
    readonly_fields = ["reconciliation_detail", "created_at", "updated_at", "is_demo"]
    inlines = [RecipientInline]
    actions = ["export_csv", "export_xlsx"]
    change_list_template = "admin/awards/change_list.html"
    change_form_template = "admin/awards/decision/change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "status", "authority", "form"]}),
        (_("Quyết định"), {"fields": ["number", "date", "signer_name", "signer_title"]}),
        (_("Đề nghị (tờ trình)"), {"fields": ["proposed_by", "proposal_number", "proposal_date"]}),
        (
            _("Nội dung"),
            {"fields": ["reason", "event", "election", "article", "scan"]},
        ),
        (
            _("Đối chiếu số lượng"),
            {"fields": ["declared_collectives", "declared_individuals", "reconciliation_detail"]},
        ),
        (_("Khác"), {"fields": ["slug", "is_demo", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_recorded_counts()

    export_search_param = "decision_q"

    def get_search_results(self, request, queryset, search_term):
        # The same condition as the export's, so "export this filtered list" matches the page.
        return queryset.filter(decision_search_q(search_term)), False

    @admin.display(description=_("Số"), ordering="number")
    def display_number(self, obj):
        if obj.is_award:
            return obj.number
        return format_html("{} {}", gettext("Tờ trình"), obj.proposal_number or "—")

    @admin.display(description=_("Ngày"), ordering="date")
    def display_date(self, obj):
        day = obj.date if obj.is_award else obj.proposal_date
        return day.strftime("%d/%m/%Y") if day else "—"

    @admin.display(description=_("Tình trạng"), ordering="status")
    def display_status(self, obj):
        if obj.is_award:
            return gettext("Đã có quyết định")
        return format_html('<strong class="awards-proposal">{}</strong>', gettext("Đề nghị"))

    @admin.display(description=_("Đối chiếu (đã nhập/theo QĐ)"))
    def reconciliation(self, obj):
        rec = decision_reconcile(decision=obj)
        label = gettext("Tập thể %(c)s · Cá nhân %(i)s") % {
            "c": f"{rec.recorded_collectives}/{rec.declared_collectives}",
            "i": f"{rec.recorded_individuals}/{rec.declared_individuals}",
        }
        if rec.matches:
            return format_html('<span class="awards-ok">✓ {}</span>', label)
        return format_html(
            '<strong class="awards-gap" title="{}">⚠ {}</strong>', " ".join(rec.messages()), label
        )

    @admin.display(description=_("Kết quả đối chiếu"))
    def reconciliation_detail(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        rec = decision_reconcile(decision=obj)
        if rec.matches:
            return gettext("Khớp: %(c)s tập thể, %(i)s cá nhân.") % {
                "c": rec.recorded_collectives,
                "i": rec.recorded_individuals,
            }
        return format_html(
            '<ul class="awards-gap">{}</ul>',
            format_html_join("", "<li>⚠ {}</li>", ((m,) for m in rec.messages())),
        )

    # Exports ---------------------------------------------------------------------------------

    def _export_selected(self, request, queryset, fmt):
        filters = ExportFilters(decisions=list(queryset.select_related("authority", "form")))
        return export_response(user=request.user, filters=filters, fmt=fmt)

    @admin.action(description=_("Xuất CSV danh sách khen thưởng của các quyết định đã chọn"),
                  permissions=["export"])  # fmt: skip
    def export_csv(self, request, queryset):
        return self._export_selected(request, queryset, "csv")

    @admin.action(description=_("Xuất XLSX danh sách khen thưởng của các quyết định đã chọn"),
                  permissions=["export"])  # fmt: skip
    def export_xlsx(self, request, queryset):
        return self._export_selected(request, queryset, "xlsx")

    def get_urls(self):
        return [
            path("xuat/", self.admin_site.admin_view(self.export_view), name="awards_export"),
            path(
                "<path:object_id>/nhap-danh-sach/",
                self.admin_site.admin_view(self.import_view),
                name="awards_decision_import",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        fmt = request.GET.get("format", "csv")
        if fmt not in ("csv", "xlsx"):
            fmt = "csv"
        filters = filters_parse(data=request.GET)
        return export_response(user=request.user, filters=filters, fmt=fmt)

    # Import ----------------------------------------------------------------------------------

    def has_import_permission(self, request, obj):
        return self.has_change_permission(request, obj) and request.user.has_perm(
            "awards.add_recipient"
        )

    def _may_replace(self, request):
        return request.user.has_perm("awards.delete_recipient")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_import"] = obj is not None and self.has_import_permission(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def import_view(self, request, object_id):
        decision = self.get_object(request, object_id)
        if decision is None:
            raise Http404
        if not self.has_import_permission(request, decision):
            raise PermissionDenied
        change_url = reverse("admin:awards_decision_change", args=[decision.pk])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "intro": gettext("Quyết định: %(decision)s") % {"decision": decision},
            "breadcrumbs": [
                (
                    reverse("admin:app_list", args=[self.model._meta.app_label]),
                    self.model._meta.app_config.verbose_name,
                ),
                (
                    reverse("admin:awards_decision_changelist"),
                    capfirst(self.model._meta.verbose_name_plural),
                ),
                (change_url, Truncator(str(decision)).words(8)),
            ],
            "cancel_url": change_url,
        }
        return RecipientImport(may_replace=self._may_replace(request)).view(
            request, target=decision, context=context
        )


class RecipientImport(ImportFlow):
    """The list of collectives and individuals of one decision."""

    name = "awards.recipients"
    title = _("Nhập danh sách tập thể, cá nhân")
    form_class = ImportForm
    preview_template = "admin/awards/decision/import_preview.html"

    def __init__(self, *, may_replace):
        self.may_replace = may_replace

    def check(self, *, request, form, target):
        replace = form.cleaned_data["replace"]
        if replace and not self.may_replace:
            # Replacing deletes the current recipients: that needs the delete permission.
            return Checked(
                errors=[(None, gettext("Bạn không có quyền xóa danh sách hiện có của quyết định."))]
            )
        checked = recipients_parse(upload=form.cleaned_data["file"])
        checked.options = {"replace": replace}
        return checked

    def may_confirm(self, *, request, target, options):
        return self.may_replace or not options.get("replace")

    def apply(self, *, request, target, rows, options):
        count = recipients_import(
            decision=target, rows=rows, user=request.user, replace=options.get("replace", False)
        )
        return ngettext("Đã nhập %(count)d dòng.", "Đã nhập %(count)d dòng.", count) % {
            "count": count
        }

    def done_url(self, *, request, target, options):
        return reverse("admin:awards_decision_change", args=[target.pk])


@admin.register(Recipient)
class RecipientAdmin(ExportButtonsMixin, HistoryAdmin):
    list_display = ["name", "kind", "position", "unit", "decision", "order"]
    list_filter = [
        RecipientAuthorityFilter,
        RecipientFormFilter,
        RecipientYearFilter,
        RecipientStatusFilter,
        KindFilter,
        DecisionFilter,
    ]
    list_select_related = ["decision"]
    search_fields = ["name", "unit", "position"]
    search_help_text = _("Tìm theo tên, đơn vị, chức vụ hoặc số quyết định (1234/QĐ-UBND…).")
    autocomplete_fields = ["decision"]
    fields = ["decision", "kind", "order", "name", "position", "unit", "achievement"]
    change_list_template = "admin/awards/change_list.html"

    def get_search_results(self, request, queryset, search_term):
        # Recipients are not searched from autocomplete widgets, so no distinct is needed; the
        # export applies the same condition.
        return queryset.filter(recipient_search_q(search_term)), False


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "username", "source", "format", "row_count", "short_hash"]
    list_filter = ["format", "source"]
    search_fields = ["username", "sha256", "file_name"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "completed_at",
        "user",
        "username",
        "source",
        "format",
        "file_name",
        "filters",
        "row_count",
        "sha256",
    ]
    readonly_fields = fields

    @admin.display(description=_("SHA-256"))
    def short_hash(self, obj):
        return (obj.sha256[:16] + "…") if obj.sha256 else gettext("chưa hoàn tất")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
