import logging

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property

from portal.cache import RateLimitedWarning
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
        if getattr(request, "_portal_csp_editor", False) or carries_editor(response):
            update["script-src"] = ["'self'", "'unsafe-inline'"]
        parts.update = {**(parts.update or {}), **update}
        return parts

    # The policy is the same for every response of a kind (public, admin, editor page) unless
    # a view changes it or a nonce is used: built once per kind, not on every request.
    def process_response(self, request, response):
        response = self._with_policy(request, response)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    def _with_policy(self, request, response):
        kind = self._policy_kind(request, response)
        if kind is None:
            return super().process_response(request, response)
        headers = self._built_headers.get(kind)
        if headers is None:
            # Built on a blank response: say which kind it is for (the editor is seen on the
            # real response's form, which the blank one does not have).
            request._portal_csp_editor = kind == "editor"
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
        return "editor" if carries_editor(response) else "admin"


# Errors that mean the database cannot be reached (refused, dropped, restarting, locked),
# as opposed to a bug in a query (ProgrammingError, IntegrityError stay 500s).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60

_db_warning = RateLimitedWarning(
    logging.getLogger("portal.database"), "Database unavailable, answering 503"
)


def database_unavailable_response(request, error):
    """The Vietnamese 503 page, built without the database.

    Rendered without the request, so no context processor runs (the menu and the demo
    banner query the database) and the template extends nothing.
    """
    _db_warning(request.path, error)
    # A form sent now was not saved: say so, so that staff go back and send it again.
    html = render_to_string("503.html", {"unsaved": request.method not in ("GET", "HEAD")})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # An outage page must not be kept by a proxy, a CDN or the page cache.
    patch_cache_control(response, no_store=True)
    return response


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with Retry-After, not a 500.

    Errors raised outside views (in other middleware) reach handler500, which gives the
    same answer (portal.views.server_error). Django reconnects by itself on the next
    request once the database is back (CONN_HEALTH_CHECKS), so nothing needs a restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable_response(request, exception)
        return None


COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/javascript",
)


class PublicGZipMiddleware(GZipMiddleware):
    """Compresses what every visitor gets alike, never a response that may carry a secret.

    Compressing a page that reflects input next to a secret (a CSRF token, a session's
    data) lets an attacker guess the secret from the compressed sizes (BREACH). So pages
    are left uncompressed when the request carries a session (staff), when the response sets
    a cookie (a CSRF token is being handed out with a form) and in the admin. Static files
    are compressed ahead of time by whitenoise.
    """

    def process_response(self, request, response):
        if getattr(response, "page_cache_hit", False):
            return response  # a cached page, served in the client's encoding already
        if (
            response.cookies
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.path_info.startswith("/admin/")
            # Files (PDFs, spreadsheets, images) are compressed already or sent as they are
            # stored; browsers' PDF viewers expect them untouched.
            or response.has_header("Content-Disposition")
            or not response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES)
        ):
            return response
        return super().process_response(request, response)
