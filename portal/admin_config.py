from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin app, with the portal's site (two-factor aware) as ``admin.site``."""

    default_site = "portal.admin_site.PortalAdminSite"
