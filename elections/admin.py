from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.template.defaultfilters import floatformat
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from elections import services
from elections.forms import MembershipForm, PollingAreaImportForm, TurnoutSummaryForm
from elections.models import (
    Body,
    Candidate,
    Contest,
    Election,
    ElectoralUnit,
    Membership,
    Person,
    PollingArea,
    TurnoutSummary,
    UnitResult,
)
from elections.services import imports
from portal.admin_history import HistoryAdmin
from portal.imports import Checked, ImportFlow
from portal.numbers import COUNT_FIELD_OVERRIDES


def _pct(value):
    return "—" if value is None else f"{floatformat(value, 2)}%"


def tally_html(tally):
    """The computed outcome of a unit as a small table for the admin (never typed)."""
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td class='num'>{}</td><td class='num'>{}</td><td>{}</td></tr>",
        (
            (
                row.candidate.full_name,
                row.votes,
                _pct(row.percentage),
                gettext("Trúng cử")
                if row.elected
                else (gettext("Bằng phiếu – cần xem lại") if row.tied_unresolved else ""),
            )
            for row in tally.rows
        ),
    )
    return format_html(
        "<p><strong>{}</strong></p><p>{}: {} · {}: {}</p>"
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        tally.status,
        gettext("Tỷ lệ cử tri đi bầu"),
        _pct(tally.turnout),
        gettext("Số phiếu hợp lệ"),
        "—" if tally.valid_ballots is None else tally.valid_ballots,
        gettext("Họ và tên"),
        gettext("Số phiếu"),
        gettext("Tỷ lệ"),
        gettext("Kết quả"),
        rows,
    )


class ContestInline(admin.TabularInline):
    formfield_overrides = COUNT_FIELD_OVERRIDES
    model = Contest
    extra = 0
    fields = ["kind", "term", "order"]


class TurnoutSummaryInline(admin.StackedInline):
    formfield_overrides = COUNT_FIELD_OVERRIDES
    model = TurnoutSummary
    form = TurnoutSummaryForm
    extra = 0
    max_num = 1
    can_delete = True


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["name", "election_day", "is_published", "is_demo"]
    list_filter = ["is_published"]
    search_fields = ["name", "directive"]
    date_hierarchy = "election_day"
    fields = ["name", "slug", "election_day", "directive", "summary", "articles", "is_published"]
    filter_horizontal = ["articles"]
    inlines = [ContestInline, TurnoutSummaryInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "articles":
            from articles.models import Article

            kwargs["queryset"] = Article.objects.only("title", "publish_at")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "level", "election", "decision_number", "decision_date"]
    list_filter = ["election", "type", "level"]
    list_select_related = ["election"]
    search_fields = ["name", "decision_number", "decision_number_normalized"]
    fields = [
        "election",
        "type",
        "level",
        "name",
        "parent",
        "unit",
        "decision_number",
        "decision_date",
        "order",
    ]
    raw_id_fields = ["parent", "unit"]
    inlines = [MembershipInline]

    def get_search_results(self, request, queryset, search_term):
        # “522/QĐ-TU” finds “522-QĐ/TU”: also match the normalised decision number.
        from portal.text import normalize_document_number

        queryset, dupes = super().get_search_results(request, queryset, search_term)
        normalized = normalize_document_number(search_term)
        if normalized:
            queryset |= self.model.objects.filter(decision_number_normalized=normalized)
        return queryset, dupes


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "is_demo"]
    search_fields = ["full_name"]
    fields = ["full_name", "photo", "bio"]
    raw_id_fields = ["photo"]


class CandidateInline(admin.TabularInline):
    formfield_overrides = COUNT_FIELD_OVERRIDES
    model = Candidate
    extra = 0
    fields = ["full_name", "birth_date", "gender", "position", "votes"]


class UnitResultInline(admin.StackedInline):
    formfield_overrides = COUNT_FIELD_OVERRIDES
    model = UnitResult
    extra = 0
    max_num = 1
    fields = [
        ("registered", "voted"),
        ("ballots_issued", "ballots_received"),
        ("valid_ballots", "invalid_ballots"),
        "is_rerun",
        "note",
    ]


class PollingAreaInline(admin.TabularInline):
    formfield_overrides = COUNT_FIELD_OVERRIDES
    model = PollingArea
    extra = 0
    fields = ["code", "name", "locality", "registered", "voted"]
    show_change_link = True


@admin.register(ElectoralUnit)
class ElectoralUnitAdmin(HistoryAdmin):
    formfield_overrides = COUNT_FIELD_OVERRIDES
    list_display = ["__str__", "seats", "candidate_count", "is_demo"]
    list_filter = ["contest__election", "contest__kind"]
    list_select_related = ["contest"]
    search_fields = ["area_description", "candidates__full_name"]
    fields = ["contest", "number", "area_description", "seats", "computed_outcome"]
    readonly_fields = ["computed_outcome"]
    inlines = [CandidateInline, UnitResultInline, PollingAreaInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_candidates=Count("candidates"))

    def save_formset(self, request, form, formset, change):
        if formset.model is not PollingArea:
            return super().save_formset(request, form, formset, change)
        # Areas added here belong to the unit's election (the field is not on the inline).
        for area in formset.save(commit=False):
            area.election_id = form.instance.contest.election_id
            area.save()
        for area in formset.deleted_objects:
            area.delete()
        formset.save_m2m()
        return None

    @admin.display(description=_("Số người ứng cử"), ordering="n_candidates")
    def candidate_count(self, obj):
        return obj.n_candidates

    @admin.display(description=_("Kết quả tính theo luật"))
    def computed_outcome(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Lưu đơn vị bầu cử trước, kết quả sẽ được tính tự động.")
        return tally_html(services.unit_tally(unit=obj))


@admin.register(UnitResult)
class UnitResultAdmin(HistoryAdmin):
    formfield_overrides = COUNT_FIELD_OVERRIDES
    list_display = ["unit", "registered", "voted", "valid_ballots", "outcome"]
    list_filter = ["unit__contest__election", "unit__contest__kind"]
    list_select_related = ["unit__contest__election"]
    fields = [
        "unit",
        ("registered", "voted"),
        ("ballots_issued", "ballots_received"),
        ("valid_ballots", "invalid_ballots"),
        "is_rerun",
        "note",
        "computed_outcome",
    ]
    readonly_fields = ["computed_outcome"]
    raw_id_fields = ["unit"]

    @admin.display(description=_("Kết quả"))
    def outcome(self, obj):
        return services.unit_tally(unit=obj.unit, result=obj).status

    @admin.display(description=_("Kết quả tính theo luật"))
    def computed_outcome(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return tally_html(services.unit_tally(unit=obj.unit, result=obj))


@admin.register(Candidate)
class CandidateAdmin(HistoryAdmin):
    formfield_overrides = COUNT_FIELD_OVERRIDES
    list_display = ["full_name", "unit", "birth_date", "votes"]
    list_filter = ["unit__contest__election", "unit__contest__kind"]
    list_select_related = ["unit__contest"]
    search_fields = ["full_name"]
    fields = [
        "unit",
        "full_name",
        "birth_date",
        "gender",
        "hometown",
        "ethnicity",
        "position",
        "workplace",
        "votes",
    ]
    raw_id_fields = ["unit"]


@admin.register(TurnoutSummary)
class TurnoutSummaryAdmin(HistoryAdmin):
    formfield_overrides = COUNT_FIELD_OVERRIDES
    form = TurnoutSummaryForm
    list_display = ["election", "percentage", "areas_full", "areas_total", "source"]
    list_select_related = ["election"]

    def get_fields(self, request, obj=None):
        return ["election", *TurnoutSummaryForm._meta.fields]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = self.get_fields(request, obj)
        return super().get_form(request, obj, change=change, **kwargs)


@admin.register(PollingArea)
class PollingAreaAdmin(HistoryAdmin):
    formfield_overrides = COUNT_FIELD_OVERRIDES
    list_display = ["code", "name", "locality", "unit", "registered", "voted", "turnout"]
    list_filter = ["election"]
    list_select_related = ["unit"]
    search_fields = ["code", "name", "locality"]
    fields = [
        "election",
        "unit",
        "code",
        "name",
        "locality",
        ("registered", "voted"),
        ("ballots_issued", "ballots_received"),
        ("valid_ballots", "invalid_ballots"),
    ]
    raw_id_fields = ["unit"]
    change_list_template = "elections/admin/pollingarea_change_list.html"

    @admin.display(description=_("Tỷ lệ đi bầu"))
    def turnout(self, obj):
        return _pct(services.percentage(obj.voted, obj.registered))

    def get_urls(self):
        return [
            path(
                "nhap-tu-tep/",
                self.admin_site.admin_view(self.import_view),
                name="elections_pollingarea_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload → preview with row-by-row errors → confirm; nothing written until valid."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        changelist = reverse("admin:elections_pollingarea_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "columns": services.IMPORT_COLUMNS,
            "breadcrumbs": [
                (
                    reverse("admin:app_list", args=[self.model._meta.app_label]),
                    self.model._meta.app_config.verbose_name,
                ),
                (changelist, capfirst(self.model._meta.verbose_name_plural)),
            ],
            "cancel_url": changelist,
        }
        return PollingAreaImport().view(request, context=context)


class PollingAreaImport(ImportFlow):
    """The tally minutes of many polling areas, for one election chosen in the form."""

    name = "elections.polling_areas"
    title = _("Nhập khu vực bỏ phiếu từ tệp")
    form_class = PollingAreaImportForm
    preview_template = "elections/admin/pollingarea_import_preview.html"
    help_template = "elections/admin/pollingarea_import_help.html"

    def check(self, *, request, form, target):
        upload = form.cleaned_data["file"]
        election = form.cleaned_data["election"]
        report = services.polling_areas_parse(
            election=election,
            content=upload.read(imports.MAX_IMPORT_BYTES + 1),
            filename=upload.name,
        )
        return Checked(
            rows=report.rows,
            errors=report.errors,
            options={"election": election.pk},
            context={"election": election, "created": report.created, "updated": report.updated},
        )

    def apply(self, *, request, target, rows, options):
        election = Election.objects.filter(pk=options["election"]).first()
        if election is None:
            raise ValidationError(gettext("Cuộc bầu cử không còn tồn tại."))
        report = services.polling_areas_import(election=election, rows=rows, user=request.user)
        return gettext("Đã nhập %(created)s khu vực mới, cập nhật %(updated)s khu vực.") % {
            "created": report.created,
            "updated": report.updated,
        }

    def done_url(self, *, request, target, options):
        url = reverse("admin:elections_pollingarea_changelist")
        return f"{url}?election__id__exact={options['election']}"
