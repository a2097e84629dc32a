from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = _("Giới thiệu – Tổ chức – Liên hệ")

    def ready(self):
        from organisation import signals  # noqa: F401 - connects the footer cache invalidation
