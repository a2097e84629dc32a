from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin app, with the portal's site (two-factor aware) as ``admin.site``."""

    default_site = "portal.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()  # autodiscovers every app's admin module
        from django.contrib import admin

        from portal.admin_vi import localise_third_party_admin

        localise_third_party_admin(admin.site)
