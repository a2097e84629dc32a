import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router
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
    """Base for content models: text is stored in NFC whatever keyboard typed it.

    ``constraint_fields`` maps a database constraint's name to the field whose input breaks
    it, so the constraint's (Vietnamese) message is shown next to that field in the admin
    instead of above the form. Django attaches only single-field unique errors to a field.
    """

    constraint_fields = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        normalize_text_fields(self)
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None):
        exclude = set(exclude or ())
        using = router.db_for_write(self.__class__, instance=self)
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = self.constraint_fields.get(constraint.name)
                    if field is None and getattr(error, "code", None) == "unique":
                        fields = getattr(constraint, "fields", ())
                        field = fields[0] if len(fields) == 1 else None
                    # A field the form does not show cannot carry a message: show it above.
                    if field is None or field in exclude:
                        errors = error.update_error_dict(errors)
                    else:
                        errors.setdefault(field, []).append(error)
        if errors:
            raise ValidationError(errors)


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
