import re

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.middleware.gzip import GZipMiddleware

# Admin pages that may carry the rich-text editor.
_EDITOR_PAGE = re.compile(r"^/admin/.+/(add|change)/$")


class PortalCSPMiddleware(CSPMiddleware):
    """The strict policy everywhere, relaxed for the admin only where it must be.

    The admin allows inline styles (CKEditor and the admin's widgets set them). CKEditor 4
    also builds its toolbar with inline event handlers, so the admin's add and change pages
    allow inline scripts; public pages never do, and everything the editor sends is sanitised
    on the server (portal/richtext.py).
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        path = request.path_info
        if report_only or not path.startswith("/admin/"):
            return parts
        update = {
            "style-src": ["'self'", "'unsafe-inline'"],
            "img-src": ["'self'", "data:", "blob:"],
        }
        if _EDITOR_PAGE.match(path):
            update["script-src"] = ["'self'", "'unsafe-inline'"]
        parts.update = {**(parts.update or {}), **update}
        return parts


class PublicGZipMiddleware(GZipMiddleware):
    """Compresses what every visitor gets alike, never a response that may carry a secret.

    Compressing a page that reflects input next to a secret (a CSRF token, a session's
    data) lets an attacker guess the secret from the compressed sizes (BREACH). So pages
    are left uncompressed when the request carries a session (staff), when the response sets
    a cookie (a CSRF token is being handed out with a form) and in the admin. Static files
    are compressed ahead of time by whitenoise.
    """

    def process_response(self, request, response):
        if (
            response.cookies
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.path_info.startswith("/admin/")
        ):
            return response
        return super().process_response(request, response)
