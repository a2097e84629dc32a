from django.db import models

from portal.text import nfc


def normalize_text_fields(instance):
    """NFC-normalise every text value of ``instance`` in place."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, nfc(value))
        elif isinstance(field, models.JSONField):
            value = getattr(instance, field.attname)
            if isinstance(value, list):
                setattr(instance, field.attname, [nfc(v) for v in value])


class NFCModel(models.Model):
    """Base for content models: text is stored in NFC whatever keyboard typed it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        normalize_text_fields(self)
        super().save(*args, **kwargs)
