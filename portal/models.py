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


def save_with_unique_slug(instance, save, *, source, max_length, attempts=3):
    """Save ``instance``, choosing its slug from ``source`` when it has none.

    The slug is checked before the INSERT, so two editors saving the same title at once could
    both pick it; the loser would hit the unique constraint. Then a fresh slug is chosen and
    the save retried instead of failing with a server error.
    """
    from django.db import IntegrityError, transaction

    from portal.text import unique_slug

    model = type(instance)
    generated = not instance.slug
    if generated:
        instance.slug = unique_slug(model, source, instance=instance, max_length=max_length)
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return save()
        except IntegrityError:
            taken = (
                model._default_manager.filter(slug=instance.slug).exclude(pk=instance.pk).exists()
            )
            if not (generated and taken) or attempt == attempts - 1:
                raise
            instance.slug = unique_slug(model, source, instance=instance, max_length=max_length)
    return None


class PageGeneration(models.Model):
    """One row: the generation of every cached public page (see portal/pagecache.py).

    It lives in the database because the default cache is per process: every worker and every
    instance must see a change at once, and the database is what they all share.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "page generation"
        default_permissions = ()

    def __str__(self):
        return str(self.value)
