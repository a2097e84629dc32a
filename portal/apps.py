from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using="default", **kwargs):
    from portal.roles import sync_roles

    sync_roles(using=using)


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Cổng thông tin")

    def ready(self):
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="portal.sync_roles")
        from portal import menu

        menu.connect_signals()
        from portal import pagecache

        pagecache.connect_signals()
        from django.core import checks

        checks.register(pagecache.check_generation_file, checks.Tags.caches)
