from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


class _ContextHelper(HistoricalRecordContextHelper):
    """An empty value reads as empty in the list of changes, not as "None" (an English field
    never filled in, an optional date)."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        return "" if value is None else value


class HistoryAdmin(SimpleHistoryAdmin):
    """The change history, for reading: without change permission a revert (POST) is refused.

    simple-history's revert view saves a POSTed form for anyone who may *view* history; for a
    view-only user (an auditor) the form has no fields, so it would still save the object and
    write a history row and a log entry in that user's name.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return _ContextHelper(self.model, historical_record)
