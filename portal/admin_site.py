from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

from portal.admin_versions import versioned_admin
from portal.ratelimit import ratelimit


class PortalLoginForm(AdminAuthenticationForm):
    """Staff log-in on one page: username, password and, with ``ADMIN_REQUIRE_OTP``, the code.

    Whatever was wrong (unknown user, wrong password, wrong or missing code, inactive or
    non-staff account, a device slowed down after failures) the form says the same thing, so it
    never tells a guesser that the password was right. The password is never sent back in the
    page. A wrong code counts as a failed log-in for the lockout, like a wrong password.
    """

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: có phân biệt chữ hoa, chữ thường."
        ),
        "invalid_login_otp": _(
            "Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng. Lưu ý: có phân biệt chữ hoa, "
            "chữ thường; mã xác thực chỉ dùng được trong 30 giây."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["password"].widget = forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "current-password"}
        )
        self.otp_required = settings.ADMIN_REQUIRE_OTP
        if self.otp_required:
            self.fields["otp_token"] = forms.CharField(
                label=_("Mã xác thực"),
                help_text=_("Sáu chữ số trong ứng dụng xác thực trên điện thoại của bạn."),
                max_length=16,
                widget=forms.TextInput(
                    attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
                ),
            )

    def get_invalid_login_error(self):
        key = "invalid_login_otp" if self.otp_required else "invalid_login"
        return ValidationError(self.error_messages[key], code="invalid_login")

    def confirm_login_allowed(self, user):
        # An inactive or non-staff account answers like a wrong password.
        if not (user.is_active and user.is_staff):
            raise self.get_invalid_login_error()

    def clean(self):
        super().clean()  # authenticates; a wrong password raises the one message
        if self.otp_required and self.user_cache is not None:
            device = self._verified_device(self.cleaned_data.get("otp_token") or "")
            if device is None:
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": self.cleaned_data.get("username")},
                    request=self.request,
                )
                self.user_cache = None
                raise self.get_invalid_login_error()
            # django-otp marks the session verified when it sees this at log-in.
            self.user_cache.otp_device = device
        return self.cleaned_data

    def _verified_device(self, token):
        token = "".join(token.split())
        if not token:
            return None
        with transaction.atomic():
            for device in devices_for_user(self.user_cache, confirmed=True, for_verify=True):
                allowed, _detail = device.verify_is_allowed()
                if allowed and device.verify_token(token):
                    return device
        return None


class PortalAdminSite(admin.AdminSite):
    """The admin, asking staff for a TOTP code as well when ``ADMIN_REQUIRE_OTP`` is on.

    The setting is read on every request (not at import), so it can be tested and changed
    without touching the URL configuration.
    """

    site_header = _("Quản trị cổng thông tin")
    site_title = _("Quản trị cổng thông tin")
    index_title = _("Bảng điều khiển")
    login_form = PortalLoginForm

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
        # The lockout counts per username and address, so one address trying many usernames
        # (password spraying) is slowed here instead, without locking anyone out.
        login = ratelimit("30/h", scope="admin-login", methods=("POST",))(super().login)
        return login(request, extra_context)


class ReadOnlyAdminMixin:
    """Records kept as evidence (log-in attempts): staff may look, nobody may edit or delete."""

    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def make_axes_admin_read_only():
    """Re-register django-axes' admin pages read-only, like the export log.

    Lockouts are lifted with ``manage.py axes_reset_username <name>`` (or ``axes_reset``), which
    leaves the access and failure logs in place.
    """
    from django.contrib import admin as admin_module

    site = admin_module.site
    for model, model_admin in list(site._registry.items()):
        if model._meta.app_label != "axes" or isinstance(model_admin, ReadOnlyAdminMixin):
            continue
        read_only = type(
            f"ReadOnly{type(model_admin).__name__}", (ReadOnlyAdminMixin, type(model_admin)), {}
        )
        site.unregister(model)
        site.register(model, read_only)
