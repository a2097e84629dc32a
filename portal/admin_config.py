from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin app, with the portal's site (two-factor aware) as ``admin.site``."""

    default_site = "portal.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()  # autodiscovers every app's admin, django-axes' included
        from django.contrib import admin

        from portal.admin_site import make_axes_admin_read_only
        from portal.admin_vi import localise_third_party_admin

        make_axes_admin_read_only()
        localise_third_party_admin(admin.site)
        # The background worker's own queue (django-tasks-db) is an operator's concern, in
        # English only: staff follow their exports on the export's own page (awards/tasks.py).
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
