import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class ImportPreview(models.Model):
    """A checked upload waiting for its confirmation (see :mod:`portal.imports`).

    The rows wait here, not in the page, and the page carries only the token: a confirmation
    claims the row once (an UPDATE that only one transaction can win, on every worker), so a
    double click, the back button or a replayed POST imports the file at most once.
    """

    token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    flow = models.CharField(max_length=100)
    target = models.CharField(max_length=100, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255, blank=True)
    rows = models.JSONField(default=list)
    options = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    result = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bản xem trước khi nhập tệp")
        verbose_name_plural = _("bản xem trước khi nhập tệp")
        indexes = [models.Index(fields=["created_at"], name="import_preview_created")]

    def __str__(self):
        return f"{self.flow} {self.file_name} ({self.created_at:%d/%m/%Y %H:%M})"
