from csp.middleware import CSPMiddleware


class PortalCSPMiddleware(CSPMiddleware):
    """The strict policy everywhere; the admin also allows inline styles, which CKEditor 4
    and the admin's widgets set from JavaScript. Scripts stay 'self' only."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.update = {
                **(parts.update or {}),
                "style-src": ["'self'", "'unsafe-inline'"],
                "img-src": ["'self'", "data:", "blob:"],
            }
        return parts
