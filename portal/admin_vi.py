"""Vietnamese for the admin screens of django-axes and django-otp.

django-otp hard-codes its labels in English (no gettext at all) and neither library gives its
app a Vietnamese name, so a catalogue entry cannot reach them: the labels are set here, once,
after the admin has registered their ModelAdmins. django-axes' own strings do go through
gettext and are translated in locale/vi.
"""

from django.apps import apps
from django.contrib.admin.utils import display_for_value
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "axes": _("Chặn đăng nhập sai nhiều lần"),
    "otp_totp": _("Xác thực hai bước"),
}

TOTP_FIELDS = {
    "user": (_("người dùng"), _("Tài khoản dùng thiết bị này.")),
    "name": (_("tên thiết bị"), _("Tên dễ nhận biết, ví dụ “Điện thoại của chị Lan”.")),
    "confirmed": (_("đã xác nhận"), _("Thiết bị đã sẵn sàng để đăng nhập chưa?")),
    "key": (_("khóa bí mật"), _("Khóa bí mật dạng hex, tối đa 40 byte.")),
    "step": (_("bước thời gian (giây)"), _("Mỗi mã có hiệu lực trong bao nhiêu giây.")),
    "t0": (_("mốc thời gian"), _("Thời điểm Unix bắt đầu đếm bước.")),
    "digits": (_("số chữ số"), _("Số chữ số của mỗi mã.")),
    "tolerance": (
        _("dung sai"),
        _("Số bước thời gian trước hoặc sau được chấp nhận."),
    ),
    "drift": (_("độ lệch đồng hồ"), _("Số bước mà đồng hồ thiết bị lệch so với máy chủ.")),
    "last_t": (_("bước đã dùng gần nhất"), _("Mã tiếp theo phải thuộc một bước sau bước này.")),
    "throttling_failure_timestamp": (
        _("lần nhập sai gần nhất"),
        _("Thời điểm nhập sai mã gần nhất; trống nếu chưa sai hoặc đã nhập đúng sau đó."),
    ),
    "throttling_failure_count": (_("số lần nhập sai liên tiếp"), _("Số lần nhập sai liên tiếp.")),
    "created_at": (_("tạo lúc"), _("Thời điểm thiết bị được tạo.")),
    "last_used_at": (_("dùng lần cuối lúc"), _("Thời điểm thiết bị được dùng gần nhất.")),
}


def _column(name):
    label = TOTP_FIELDS[name][0]

    def column(obj):
        value = getattr(obj, name)
        return value if name == "confirmed" else display_for_value(value, "—")

    column.short_description = label
    column.admin_order_field = name
    if name == "confirmed":
        column.boolean = True
    column.__name__ = f"{name}_vi"
    return column


def _localise_totp_admin(model_admin):
    original_get_form = model_admin.get_form
    labels = {name: label for name, (label, _help) in TOTP_FIELDS.items()}
    help_texts = {name: help_text for name, (_label, help_text) in TOTP_FIELDS.items()}

    def get_form(request, obj=None, **kwargs):
        return original_get_form(request, obj, labels=labels, help_texts=help_texts, **kwargs)

    model_admin.get_form = get_form
    model_admin.get_fieldsets = _totp_fieldsets.__get__(model_admin)
    model_admin.list_display = [
        _column("user"),
        _column("name"),
        _column("created_at"),
        _column("last_used_at"),
        _column("confirmed"),
    ]
    model_admin.created_at_vi = _column("created_at")
    model_admin.last_used_at_vi = _column("last_used_at")
    model_admin.readonly_fields = ["created_at_vi", "last_used_at_vi", "qrcode_link"]
    type(model_admin).qrcode_link.short_description = _("Mã QR")
    model_admin.search_help_text = _("Tìm theo tên đăng nhập hoặc email của người dùng.")


def _totp_fieldsets(self, request, obj=None):
    configuration = ["step", "t0", "digits", "tolerance"]
    if obj is None:
        configuration = ["key", *configuration]
    fieldsets = [
        (_("Thiết bị"), {"fields": ["user", "name", "confirmed"]}),
        (_("Thời điểm"), {"fields": ["created_at_vi", "last_used_at_vi"]}),
        (_("Cấu hình"), {"fields": configuration}),
        (_("Trạng thái"), {"fields": ["drift"]}),
        (
            _("Giới hạn nhập sai"),
            {"fields": ["throttling_failure_timestamp", "throttling_failure_count"]},
        ),
    ]
    if obj is not None:
        fieldsets.append((_("Cấu hình trên điện thoại"), {"fields": ["qrcode_link"]}))
    return fieldsets


def localise_third_party_admin(site):
    for label, name in APP_NAMES.items():
        if apps.is_installed(label) or label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    try:
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:  # two-factor not installed
        return
    # Labels are set on the admin's forms and columns, never on the model's fields: changing
    # those would make makemigrations want a migration inside django-otp.
    meta = TOTPDevice._meta
    meta.verbose_name = _("thiết bị xác thực hai bước")
    meta.verbose_name_plural = _("thiết bị xác thực hai bước")
    model_admin = site._registry.get(TOTPDevice)
    if model_admin is not None:
        _localise_totp_admin(model_admin)
    for model_admin in site._registry.values():
        if model_admin.opts.label in ("auth.Group", "auth.User"):
            _label_permissions(model_admin)


# Django stores a model's default permission names in English ("Can add bài viết") when the
# tables are created; they are shown translated instead of rewritten in the database.
PERMISSION_ACTIONS = {
    "add": _("Được thêm %(model)s"),
    "change": _("Được sửa %(model)s"),
    "delete": _("Được xóa %(model)s"),
    "view": _("Được xem %(model)s"),
}


def permission_label(permission):
    content_type = permission.content_type
    model = content_type.model_class()
    if model is None:
        return str(permission)
    opts = model._meta
    action = permission.codename.split("_", 1)[0]
    name = permission.name
    if action in PERMISSION_ACTIONS and permission.codename == f"{action}_{opts.model_name}":
        name = PERMISSION_ACTIONS[action] % {"model": opts.verbose_name}
    return f"{opts.app_config.verbose_name} | {opts.verbose_name} | {name}"


def _label_permissions(model_admin):
    original = model_admin.formfield_for_manytomany

    def formfield_for_manytomany(db_field, request=None, **kwargs):
        field = original(db_field, request, **kwargs)
        if field is not None and db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field

    model_admin.formfield_for_manytomany = formfield_for_manytomany
