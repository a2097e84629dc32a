from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from organisation.models import AgencyLink, SiteContact
from organisation.services import site_context_invalidate


@receiver([post_save, post_delete], sender=SiteContact)
@receiver([post_save, post_delete], sender=AgencyLink)
def _site_context_changed(sender, **kwargs):
    site_context_invalidate()
