from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


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
