from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Văn bản")

    def ready(self):
        from portal import pagecache

        # A document appears, and a draft's consultation opens and closes, at a set time: no
        # cached page outlives those moments.
        pagecache.SCHEDULE_FIELDS.extend(
            [
                ("documents.Document", "published_at"),
                ("documents.Draft", "opens_at"),
                ("documents.Draft", "closes_at"),
            ]
        )
