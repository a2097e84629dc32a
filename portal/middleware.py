import re

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.utils.functional import cached_property

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

    # The policy is the same for every response of a kind (public, admin, editor page) unless
    # a view changes it or a nonce is used: built once per kind, not on every request.
    def process_response(self, request, response):
        kind = self._policy_kind(request, response)
        if kind is None:
            return super().process_response(request, response)
        headers = self._built_headers.get(kind)
        if headers is None:
            blank = HttpResponse()
            super().process_response(request, blank)
            headers = [
                (name, blank[name]) for name in (HEADER, HEADER_REPORT_ONLY) if name in blank
            ]
            self._built_headers[kind] = headers
        else:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        for name, value in headers:
            if name not in response:
                response[name] = value
        return response

    @cached_property
    def _built_headers(self):
        return {}

    @staticmethod
    def _policy_kind(request, response):
        per_response = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
        if any(hasattr(response, f"{attr}{ro}") for attr in per_response for ro in ("", "_ro")):
            return None
        if getattr(request, "_csp_nonce", None) is not None or settings.DEBUG:
            return None
        for setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
            if (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES"):
                return None
        path = request.path_info
        if not path.startswith("/admin/"):
            return "public"
        return "editor" if _EDITOR_PAGE.match(path) else "admin"
