from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm

from portal.admin_versions import versioned_admin


class PortalAdminSite(admin.AdminSite):
    """The admin, asking staff for a TOTP code as well when ``ADMIN_REQUIRE_OTP`` is on.

    The setting is read on every request (not at import), so it can be tested and changed
    without touching the URL configuration.
    """

    site_header = _("Quản trị cổng thông tin")
    site_title = _("Quản trị cổng thông tin")
    index_title = _("Bảng điều khiển")

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every model admin, the apps' and the libraries', refuses a save based on an old
        # version of the record (portal/admin_versions.py).
        return super().register(
            model_or_iterable, versioned_admin(admin_class or admin.ModelAdmin), **options
        )

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.ADMIN_REQUIRE_OTP or request.user.is_verified()

    def login(self, request, extra_context=None):
        if settings.ADMIN_REQUIRE_OTP:
            self.login_form = OTPAdminAuthenticationForm
            self.login_template = "otp/admin111/login.html"
        else:
            self.login_form = AdminAuthenticationForm
            self.login_template = None
        return super().login(request, extra_context)
