"""Staff roles as groups.

Each app lists its roles in ``<app>/roles.py`` as ``ROLES = {"Group name": ["app_label.codename",
...]}``. :func:`sync_roles` makes the groups match exactly; it runs after every ``migrate`` and
from ``manage.py sync_roles``. The administrators' group gets every other role's permissions
plus user management.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions

from portal.discovery import app_modules

ADMINISTRATORS = "Quản trị cổng"
ADMINISTRATOR_EXTRA = {
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
    "auth.view_group",
    "admin.view_logentry",
    "otp_totp.view_totpdevice",
    "otp_totp.add_totpdevice",
    "otp_totp.delete_totpdevice",
}


def all_roles():
    roles = {}
    for module in app_modules("roles", required="ROLES"):
        for group, perms in module.ROLES.items():
            roles.setdefault(group, set()).update(perms)
    everything = set().union(*roles.values()) if roles else set()
    roles[ADMINISTRATORS] = everything | ADMINISTRATOR_EXTRA
    return roles


def sync_roles(*, using="default", stdout=None):
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codes in all_roles().items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        perms = []
        for code in sorted(codes):
            app_label, codename = code.split(".", 1)
            perm = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if perm is None:
                raise LookupError(f"Role {group_name!r} names an unknown permission {code!r}")
            perms.append(perm)
        group.permissions.set(perms)
        if stdout is not None:
            stdout.write(f"{group_name}: {len(perms)} quyền")
