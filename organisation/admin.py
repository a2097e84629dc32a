from django.contrib import admin
from django.db import models
from modeltranslation.admin import TranslationAdmin

from organisation.models import AgencyLink, IntroPage, Official, SiteContact, Unit
from portal.admin_display import name_column
from portal.admin_history import HistoryAdmin

# Addresses typed without a scheme are read as https (Django 6's default).
URL_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


@admin.register(IntroPage)
class IntroPageAdmin(HistoryAdmin, TranslationAdmin):
    list_display = ["title", "parent", "order", "is_published", "updated_at"]
    list_filter = ["is_published"]
    list_editable = ["order"]
    list_select_related = ["parent"]
    search_fields = ["title_vi", "title_en"]
    autocomplete_fields = ["parent"]
    view_on_site = True


class OfficialInline(admin.TabularInline):
    model = Official
    extra = 0
    fields = ["name", "position_vi", "position_en", "phone", "email", "order"]


@admin.register(Unit)
class UnitAdmin(HistoryAdmin, TranslationAdmin):
    formfield_overrides = URL_OVERRIDES
    list_display = ["name", "kind", "parent", "head_name", "phone", "order"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name_vi", "name_en", "head_name"]
    autocomplete_fields = ["parent"]
    inlines = [OfficialInline]


@admin.register(Official)
class OfficialAdmin(HistoryAdmin, TranslationAdmin):
    list_display = [name_column(Official, "name"), "position", "unit", "phone", "email"]
    list_select_related = ["unit"]
    list_filter = ["unit"]
    search_fields = ["name", "position_vi", "position_en", "unit__name_vi"]
    autocomplete_fields = ["unit"]


@admin.register(SiteContact)
class SiteContactAdmin(HistoryAdmin, TranslationAdmin):
    list_display = ["agency_name", "phone", "hotline", "email", "updated_at"]

    def has_add_permission(self, request):
        # A single record: once it exists staff edit it instead of adding a second one.
        return super().has_add_permission(request) and not SiteContact.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgencyLink)
class AgencyLinkAdmin(HistoryAdmin, TranslationAdmin):
    formfield_overrides = URL_OVERRIDES
    list_display = ["name", "url", "order"]
    list_editable = ["order"]
    search_fields = ["name_vi", "name_en"]
