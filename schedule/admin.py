from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin_history import HistoryAdmin
from schedule.models import Entry


@admin.register(Entry)
class EntryAdmin(HistoryAdmin):
    list_display = [
        "date",
        "start_time",
        "short_content",
        "chair",
        "place",
        "status",
        "is_published",
    ]
    list_filter = ["status", "is_published"]
    search_fields = ["content", "chair", "place", "preparing_unit"]
    date_hierarchy = "date"
    fields = ["date", "start_time", "end_time", "content", "chair", "attendees", "place",
              "preparing_unit", "status", "status_note", "is_published"]  # fmt: skip

    @admin.display(description=_("nội dung"))
    def short_content(self, obj):
        return obj.content[:100]
