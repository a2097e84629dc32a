from csp.middleware import CSPMiddleware

from portal.richtext import is_editor_widget

# Browser features the portal never uses, switched off for every page (and for anything a
# page might embed). browsing-topics replaced interest-cohort (FLoC), which current browsers
# no longer recognise and would report as an error on every page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
)


def _forms_on_page(context):
    adminform = context.get("adminform")
    if adminform is not None:
        yield adminform.form
    for inline in context.get("inline_admin_formsets") or ():
        yield from inline.formset.forms
        yield inline.formset.empty_form


def carries_editor(response):
    """Whether an admin page's form (or one of its inlines) contains the rich-text editor."""
    context = getattr(response, "context_data", None) or {}
    return any(
        is_editor_widget(field.widget)
        for form in _forms_on_page(context)
        for field in form.fields.values()
    )


class PortalCSPMiddleware(CSPMiddleware):
    """The strict policy everywhere, relaxed for the admin only where it must be.

    The admin allows inline styles (CKEditor and the admin's widgets set them). CKEditor 4
    also builds its toolbar with inline event handlers, so an admin page whose form carries
    the editor allows inline scripts; other admin pages and public pages never do, and
    everything the editor sends is sanitised on the server (portal/richtext.py).
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or not request.path_info.startswith("/admin/"):
            return parts
        update = {
            "style-src": ["'self'", "'unsafe-inline'"],
            "img-src": ["'self'", "data:", "blob:"],
        }
        if carries_editor(response):
            update["script-src"] = ["'self'", "'unsafe-inline'"]
        parts.update = {**(parts.update or {}), **update}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
