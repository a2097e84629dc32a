"""No silent overwrite in the admin: every change form carries the version it was opened at.

Two staff open the same record; both save. Without a check the second save replaces the first
without a word. Every change form (and every row of its inlines) therefore carries a hidden
``portal_version``: a fingerprint of the stored values of exactly the fields that form edits.
On save the record is read again, locked (``SELECT ... FOR UPDATE`` on PostgreSQL), and
fingerprinted; if the fingerprints differ, someone else changed it since the form was opened,
and the save is refused with a message saying who and when, each differing field showing the
value now stored beside what was typed. Nothing typed is lost: the form comes back filled, now
carrying the current version, so saving again deliberately keeps what is on the screen.

A fingerprint rather than a version column: a bulk action, an import or a ``QuerySet.update()``
changes the stored values, and so the fingerprint, without having to remember to bump a
counter; and a change to a field the form does not show (a counter, a status the user may not
edit) does not refuse a save that cannot overwrite it.

:class:`PortalAdminSite` applies :class:`VersionCheckAdmin` to every model admin it registers,
so new apps are covered without code of their own.

The same holds for rows edited directly in a changelist (``list_editable``): each row of the
changelist's formset carries its own version (rendered beside the row's hidden primary key),
the rows are locked and read again on save. A row counts as edited only where the user changed
what the page showed (each cell also carries the value shown); rows left alone are never
written, so a row someone else changed meanwhile keeps that change. If a row the user edited
was changed by someone else since the page was opened, the whole submission is refused, as
Django does for any error in the formset: nothing is saved, the message (who, when, what
differs) stands just above each such row, and the list comes back with every row as typed.
"""

import hashlib
import json

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models, router, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

VERSION_FIELD = "portal_version"
_SHOWN_CHARS = 120


def _stored_value(instance, field):
    """A JSON-friendly form of what the database holds for ``field`` of ``instance``."""
    if field.many_to_many:
        if instance.pk is None:
            return []
        return sorted(str(pk) for pk in getattr(instance, field.name).values_list("pk", flat=True))
    if field.is_relation:
        return str(getattr(instance, field.attname))
    value = field.value_from_object(instance)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return str(value) if value is not None else None


def _model_fields(instance, names):
    fields = []
    for name in names:
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a form-only field (a file upload, a confirmation box): not stored
        if getattr(field, "concrete", False) or field.many_to_many:
            fields.append(field)
    return fields


def fingerprint(instance, names):
    """A short digest of the stored values of the model fields among ``names``."""
    values = {f.name: _stored_value(instance, f) for f in _model_fields(instance, sorted(names))}
    payload = json.dumps(values, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(payload).hexdigest()[:32]


def rows_fingerprint(queryset):
    """A digest of every stored value of every row of ``queryset`` (an import's target)."""
    digest = hashlib.sha256()
    for row in queryset.order_by("pk").values_list():
        digest.update(repr(row).encode())
    return digest.hexdigest()[:32]


def last_change(instance):
    """``(who, when)`` of the latest recorded change of ``instance``, or ``None``.

    The admin's log covers saves through the admin; django-simple-history, where the model has
    it, also covers imports, bulk actions and commands.
    """
    candidates = []
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_id=str(instance.pk),
        )
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    if entry is not None:
        candidates.append((entry.action_time, entry.user))
    history = getattr(instance, "history", None)
    if history is not None and hasattr(history, "order_by"):
        record = history.order_by("-history_date").select_related("history_user").first()
        if record is not None:
            candidates.append((record.history_date, record.history_user))
    if not candidates:
        return None
    when, user = max(candidates, key=lambda item: item[0])
    return _user_label(user), when


def _user_label(user):
    if user is None:
        return _("một tiến trình tự động (nhập tệp hoặc lệnh quản trị)")
    return user.get_full_name() or user.get_username()


def _shown(value):
    if value in (None, ""):
        return _("(để trống)")
    if isinstance(value, models.Model):
        text = str(value)
    elif isinstance(value, list | tuple | models.QuerySet):
        text = ", ".join(str(item) for item in value) or _("(để trống)")
    else:
        text = strip_tags(str(value)) if isinstance(value, str) else str(value)
    return Truncator(" ".join(text.split())).chars(_SHOWN_CHARS)


def _current_value(instance, field):
    if field.many_to_many:
        return list(getattr(instance, field.name).all())
    return getattr(instance, field.name)


class VersionedFormMixin:
    """Mixed into an admin model form for an existing record (see :func:`versioned_form`)."""

    # A stale form that would write nothing (every field typed as now stored) is refused too
    # on a change form; a changelist row passes, since the page submits every row, edited or not.
    refuse_unchanged = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version_conflict = False
        self._current_version = None
        # The fields the form edits, taken before a formset adds its own (the row's primary key,
        # an inline's parent key): exactly these are fingerprinted and compared.
        self._versioned_names = [name for name in self.fields if name != VERSION_FIELD]
        if self.instance.pk is not None and VERSION_FIELD in self.fields:
            self._current_version = fingerprint(self.instance, self._version_names())
            self.fields[VERSION_FIELD].initial = self._current_version

    def _version_names(self):
        return self._versioned_names

    @cached_property
    def changed_data(self):
        # The version is bookkeeping, not an edit: it neither makes a row "changed" nor shows in
        # the admin's log.
        return [name for name in super().changed_data if name != VERSION_FIELD]

    def clean(self):
        cleaned = super().clean()
        submitted = self.data.get(self.add_prefix(VERSION_FIELD))
        # A form that sends no version (not one the admin rendered) is not checked.
        if self._current_version is None or not submitted:
            return cleaned
        if submitted == self._current_version:
            return cleaned
        if self.refuse_unchanged or self.has_changed():
            self.version_conflict = True
            self._report_conflict(cleaned)
        # The form comes back with what was typed and the version now stored, so that saving
        # again is a deliberate choice to keep what is on the screen.
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = self._current_version
        return cleaned

    def _report_conflict(self, cleaned):
        changed = last_change(self.instance)
        if changed is None:
            who_when = _("Người khác đã thay đổi bản ghi này sau khi bạn mở trang.")
        else:
            who, when = changed
            who_when = _("%(who)s đã thay đổi bản ghi này lúc %(when)s, sau khi bạn mở trang.") % {
                "who": who,
                "when": date_format(timezone.localtime(when), "d/m/Y H:i:s"),
            }
        differing = []
        for field in _model_fields(self.instance, self._version_names()):
            if field.name not in cleaned:
                continue
            stored = _current_value(self.instance, field)
            typed = cleaned[field.name]
            if _shown(stored) == _shown(typed):
                continue
            differing.append(str(field.verbose_name))
            if field.name in self.fields:
                self.add_error(
                    field.name,
                    _("Giá trị đang lưu: «%(value)s».") % {"value": _shown(stored)},
                )
        summary = (
            _("Khác với bản bạn đang sửa ở: %(fields)s.") % {"fields": ", ".join(differing)}
            if differing
            else _("Các trường bạn đang sửa không khác, nhưng bản ghi đã được lưu lại.")
        )
        self.add_error(
            None,
            ValidationError(
                " ".join(
                    [
                        who_when,
                        _("Chưa có gì được lưu."),
                        summary,
                        _(
                            "Xem lại giá trị đang lưu ghi cạnh từng trường; bấm Lưu lần nữa "
                            "để ghi nội dung trên màn hình đè lên, hoặc tải lại trang để bỏ "
                            "những gì bạn đã gõ."
                        ),
                    ]
                ),
                code="version_conflict",
            ),
        )


def _version_form_field():
    return forms.CharField(widget=forms.HiddenInput, required=False)


def versioned_form(form_class):
    """``form_class`` with the hidden version field and its check."""
    if issubclass(form_class, VersionedFormMixin):
        return form_class
    attrs = {
        VERSION_FIELD: _version_form_field(),
        "__module__": form_class.__module__,
    }
    return type(form_class.__name__, (VersionedFormMixin, form_class), attrs)


def _with_version_field(fieldsets):
    """The fieldsets with the hidden version field added to the first one."""
    if not fieldsets:
        return [(None, {"fields": [VERSION_FIELD]})]
    names = {
        name
        for _title, options in fieldsets
        for line in options.get("fields", ())
        for name in (line if isinstance(line, list | tuple) else [line])
    }
    if VERSION_FIELD in names:
        return fieldsets
    (title, options), *rest = fieldsets
    first = (title, {**options, "fields": [*options.get("fields", ()), VERSION_FIELD]})
    return [first, *rest]


class _PrimaryKeyWithVersion(forms.BoundField):
    """A changelist row's hidden primary key, followed by the row's hidden version.

    The changelist renders only the ``list_editable`` columns and the primary key of each row;
    the version rides along with the key, so no admin template has to know about it.
    """

    def __str__(self):
        return super().__str__() + str(self.form[VERSION_FIELD])

    __html__ = __str__


class VersionedChangelistForm(VersionedFormMixin):
    """A changelist row. The page submits every row, edited or not, so a row counts as changed
    only where the user edited it: each cell carries the value the page showed (Django's hidden
    initial, kept across a refused submission), and a cell is changed when what is submitted
    differs both from that value and from what is stored now. A row someone else changed that
    this user left alone is then neither refused nor written back with its old values."""

    refuse_unchanged = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._versioned_names:
            self.fields[name].show_hidden_initial = True

    @cached_property
    def changed_data(self):
        edited = super().changed_data  # against the page's values (the hidden initials)
        return [
            name
            for name in edited
            if self.fields[name].has_changed(self[name].initial, self[name].data)
        ]


class VersionedChangelistFormSet:
    """Mixed into a changelist's ``list_editable`` formset: each row carries its version.

    A stale row's error makes the formset invalid, so Django saves none of the rows and shows
    the row's message (who, when, what differs) on a line of its own just above the row.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk_name = self.model._meta.pk.name
        if VERSION_FIELD in form.fields and pk_name in form.fields:
            form.fields[pk_name].bound_field_class = _PrimaryKeyWithVersion


def _align_refused_rows(response):
    """A refused list comes back with each row's cells beside that row's typed values.

    Django pairs the list it reads again (in the order now stored) with the submitted rows (in
    the order the page showed them); when the refusal is about the very column the list is
    sorted by, the two differ, and a row's name would stand beside another row's inputs.
    """
    cl = (getattr(response, "context_data", None) or {}).get("cl")
    formset = getattr(cl, "formset", None)
    if formset is None or not formset.is_bound or formset.is_valid():
        return
    shown = {obj.pk: obj for obj in cl.result_list}
    cl.result_list = [shown.get(form.instance.pk, form.instance) for form in formset.forms]


class _LockOnPost:
    def get_object(self, request, object_id, from_field=None):
        # Inside the admin's transaction a save first locks the record's row, so two saves at
        # the same moment are checked one after the other; the admin's own queryset (which may
        # be annotated, and so cannot be locked) then reads it. SQLite serialises writes itself.
        if request.method == "POST" and connection.in_atomic_block:
            model = self.model
            field = model._meta.get_field(from_field) if from_field else model._meta.pk
            try:
                value = field.to_python(object_id)
                list(
                    model._default_manager.select_for_update()
                    .filter(**{field.name: value})
                    .values_list("pk", flat=True)
                )
            except (ValidationError, ValueError):
                return None
        return super().get_object(request, object_id, from_field)


class VersionCheckInline:
    """For inlines: every existing row carries its own version."""

    def _checks_version(self, request, obj):
        return obj is not None and self.has_change_permission(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        if self._checks_version(request, obj):
            kwargs["form"] = versioned_form(kwargs.get("form", self.form))
        return super().get_formset(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._checks_version(request, obj):
            return fieldsets
        return _with_version_field(fieldsets)


class VersionCheckAdmin(_LockOnPost):
    """For model admins: the change form and the rows of its inlines are version-checked."""

    version_check = True

    def _checks_version(self, request, obj):
        return self.version_check and obj is not None and self.has_change_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not self._checks_version(request, obj):
            return super().get_form(request, obj, change=change, **kwargs)
        # The version field is the form's own, not the model's: keep it out of the field list
        # Django builds the model form from, then add it to the form it returns.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"]:
            kwargs["fields"] = [name for name in kwargs["fields"] if name != VERSION_FIELD]
        return versioned_form(super().get_form(request, obj, change=change, **kwargs))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._checks_version(request, obj):
            return fieldsets
        return _with_version_field(fieldsets)

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)
        if not self.version_check:
            return form
        return _versioned_changelist_form(form)

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        if not self.version_check or issubclass(formset, VersionedChangelistFormSet):
            return formset
        return type(formset.__name__, (VersionedChangelistFormSet, formset), {})

    def changelist_view(self, request, extra_context=None):
        # Saving rows edited in the list: the check and the save run in one transaction, with
        # the rows locked (see _get_list_editable_queryset), like a change form's save.
        if self.version_check and request.method == "POST" and "_save" in request.POST:
            with transaction.atomic(using=router.db_for_write(self.model)):
                response = super().changelist_view(request, extra_context)
            _align_refused_rows(response)
            return response
        return super().changelist_view(request, extra_context)

    def _get_list_editable_queryset(self, request, prefix):
        queryset = super()._get_list_editable_queryset(request, prefix)
        if self.version_check and connection.in_atomic_block:
            pk = self.model._meta.pk
            try:
                pks = [
                    pk.to_python(value) for value in self._get_edited_object_pks(request, prefix)
                ]
            except ValidationError:
                return queryset
            list(
                self.model._default_manager.select_for_update()
                .filter(pk__in=pks)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        return queryset

    def get_inline_instances(self, request, obj=None):
        instances = super().get_inline_instances(request, obj)
        if not self.version_check:
            return instances
        for inline in instances:
            if not isinstance(inline, VersionCheckInline):
                inline.__class__ = _versioned_class(inline.__class__, VersionCheckInline)
        return instances


_CLASSES = {}


def _versioned_class(cls, mixin):
    key = (cls, mixin)
    if key not in _CLASSES:
        _CLASSES[key] = type(
            cls.__name__,
            (mixin, cls),
            {"__module__": cls.__module__, "__qualname__": cls.__qualname__},
        )
    return _CLASSES[key]


def _versioned_changelist_form(form_class):
    """``form_class`` with the hidden version field, checked as a changelist row."""
    if issubclass(form_class, VersionedChangelistForm):
        return form_class
    attrs = {
        VERSION_FIELD: _version_form_field(),
        "__module__": form_class.__module__,
    }
    return type(form_class.__name__, (VersionedChangelistForm, form_class), attrs)


def versioned_admin(admin_class):
    """``admin_class`` with the version check (what the portal's admin site registers)."""
    if issubclass(admin_class, VersionCheckAdmin):
        return admin_class
    return _versioned_class(admin_class, VersionCheckAdmin)
