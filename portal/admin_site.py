from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm

from portal.ratelimit import ratelimit


class PortalAdminSite(admin.AdminSite):
    """The admin, asking staff for a TOTP code as well when ``ADMIN_REQUIRE_OTP`` is on.

    The setting is read on every request (not at import), so it can be tested and changed
    without touching the URL configuration.
    """

    site_header = _("Quản trị cổng thông tin")
    site_title = _("Quản trị cổng thông tin")
    index_title = _("Bảng điều khiển")

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
        # The lockout counts per username and address, so one address trying many usernames
        # (password spraying) is slowed here instead, without locking anyone out.
        login = ratelimit("30/h", scope="admin-login", methods=("POST",))(super().login)
        return login(request, extra_context)
