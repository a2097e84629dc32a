"""The one admin import flow: upload → preview with row errors → confirm, once.

An import declares what is particular to it by subclassing :class:`ImportFlow` (its upload
form, how a file is checked, how checked rows are saved, where to go afterwards) and calls
:meth:`ImportFlow.view` from an admin view after its permission check. The flow does the rest
the same way for every import:

- nothing is written before the confirmation, and nothing at all when any row has an error;
- the checked rows wait in the database (:class:`portal.models.ImportPreview`), so the page
  carries only a token and nobody can confirm rows other than those that were checked;
- a confirmation claims its preview with one conditional UPDATE inside the transaction that
  saves the rows: of two confirmations racing (a double click, two workers, a replayed POST)
  exactly one saves; the other is told, in Vietnamese, that the file was already imported,
  and changes nothing. If saving fails, the claim rolls back with it and the staff member
  can try again.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.admin_versions import rows_fingerprint
from portal.models import ImportPreview

# The version of the target's rows when the preview was made (see ImportFlow.target_rows).
_STATE = "_target_state"
# Previews are kept a day after they expire, so that a late replay is told what happened.
PURGE_AFTER = timedelta(days=1)


@dataclass
class Checked:
    """What :meth:`ImportFlow.check` found in a file.

    ``rows`` are JSON-serialisable values, ready for :meth:`ImportFlow.apply`; ``errors`` are
    ``(line or None, message)`` pairs; ``options`` travel with the rows to the confirmation
    (for example "replace the current list"); ``context`` goes to the preview template.
    """

    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    options: dict = field(default_factory=dict)
    context: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.errors and bool(self.rows)

    def error_lines(self):
        """Each error as one sentence: ``Dòng 5: …`` (or the file's own message)."""
        out = []
        for line, message in self.errors:
            message = str(message)
            if line is None:
                out.append(message)
            else:
                text = _("Dòng %(line)s: %(message)s") % {"line": line, "message": message}
                out.append(text if text.endswith(".") else text + ".")
        return out


class ImportFlow(ABC):
    """Subclass per import; see the module docstring.

    ``check``, ``apply`` and ``done_url`` are abstract: an import that lacks one cannot even be
    created, rather than failing in front of a staff member half-way through the flow.
    """

    #: A stable name stored with each preview, so one import's token is useless to another.
    name = ""
    title = ""
    form_class = None
    template_name = "admin/portal/import.html"
    #: Shows ``checked.rows`` (and ``checked.context``) before the confirm button.
    preview_template = ""
    #: Explains the expected columns under the upload form.
    help_template = ""
    max_age = timedelta(hours=1)
    preview_limit = 200

    # --- What each import provides ---------------------------------------------------------

    def form_kwargs(self, *, request, target):
        return {}

    @abstractmethod
    def check(self, *, request, form, target):
        """Read and check the uploaded file; return :class:`Checked`. Never writes."""

    @abstractmethod
    def apply(self, *, request, target, rows, options):
        """Save the checked rows (inside the confirmation's transaction); return a message."""

    @abstractmethod
    def done_url(self, *, request, target, options):
        """Where the staff member goes once the rows are saved."""

    def may_confirm(self, *, request, target, options):
        """Checked again at confirmation: a permission may have been taken away meanwhile."""
        return True

    def target_key(self, target):
        return "" if target is None else str(target.pk)

    def target_rows(self, *, target, options):
        """The rows a confirmation may change or replace (a queryset), or ``None``.

        Their version is taken with the preview and compared at confirmation, like a change
        form's (portal/admin_versions.py): a list edited by someone else in between is not
        overwritten by a preview made before the edit.
        """
        return None

    def _target_state(self, target, options):
        rows = self.target_rows(target=target, options=options)
        return "" if rows is None else rows_fingerprint(rows)

    # --- The flow ----------------------------------------------------------------------------

    def view(self, request, *, target=None, context=None):
        context = {"title": self.title, **(context or {}), "flow": self}
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request, target, context)
        form = self.form_class(**self.form_kwargs(request=request, target=target))
        if request.method == "POST":
            form = self.form_class(
                request.POST, request.FILES, **self.form_kwargs(request=request, target=target)
            )
            if form.is_valid():
                checked = self.check(request=request, form=form, target=target)
                context["checked"] = checked
                context["preview_rows"] = checked.rows[: self.preview_limit]
                if checked.ok:
                    context["token"] = str(self._save_preview(request, form, target, checked).token)
        return self._render(request, form, context)

    def _render(self, request, form, context):
        context["form"] = form
        return render(request, self.template_name, context)

    def _save_preview(self, request, form, target, checked):
        now = timezone.now()
        ImportPreview.objects.filter(created_at__lt=now - self.max_age - PURGE_AFTER).delete()
        upload = next(iter(request.FILES.values()), None)
        return ImportPreview.objects.create(
            flow=self.name,
            target=self.target_key(target),
            user=request.user,
            file_name=(getattr(upload, "name", "") or "")[:255],
            rows=checked.rows,
            options={**checked.options, _STATE: self._target_state(target, checked.options)},
        )

    def _expired(self, request, context):
        messages.error(
            request, _("Phiên xem trước đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lại.")
        )
        return self._render(request, self.form_class(), context)

    def _confirm(self, request, target, context):
        try:
            return self._claim_and_apply(request, target, context)
        except DatabaseError:
            # SQLite answers "locked" at once instead of waiting while another confirmation
            # writes; PostgreSQL waits, then finds the preview claimed.
            messages.warning(
                request,
                _("Tệp này đang được nhập theo một yêu cầu khác. Hãy đợi rồi xem lại danh sách."),
            )
            return self._render(request, self.form_class(), context)

    def _claim_and_apply(self, request, target, context):
        token = request.POST.get("token", "")
        try:
            preview = ImportPreview.objects.filter(
                token=token, flow=self.name, user=request.user
            ).first()
        except ValidationError:  # not a UUID
            preview = None
        if preview is None:
            return self._expired(request, context)
        if preview.target != self.target_key(target):
            # A token made for one decision or election, posted to another's page.
            raise PermissionDenied
        if not self.may_confirm(request=request, target=target, options=preview.options):
            raise PermissionDenied
        done = self.done_url(request=request, target=target, options=preview.options)
        if preview.confirmed_at is not None:
            return self._already(request, preview, done)
        if preview.created_at < timezone.now() - self.max_age:
            return self._expired(request, context)
        try:
            with transaction.atomic():
                claimed = ImportPreview.objects.filter(
                    pk=preview.pk, confirmed_at__isnull=True
                ).update(confirmed_at=timezone.now())
                if not claimed:
                    raise _AlreadyClaimed
                options = dict(preview.options)
                if options.pop(_STATE, "") != self._target_state(target, options):
                    raise ValidationError("changed since the preview", code="stale")
                message = self.apply(
                    request=request, target=target, rows=preview.rows, options=options
                )
                ImportPreview.objects.filter(pk=preview.pk).update(result=str(message))
        except _AlreadyClaimed:
            preview.refresh_from_db()
            return self._already(request, preview, done)
        except (ValidationError, IntegrityError):
            messages.error(
                request,
                _(
                    "Dữ liệu đã thay đổi từ lúc xem trước nên chưa ghi dòng nào. Hãy tải tệp "
                    "lên lại để kiểm tra."
                ),
            )
            return self._render(request, self.form_class(), context)
        messages.success(request, message)
        return HttpResponseRedirect(done)

    def _already(self, request, preview, done):
        when = date_format(timezone.localtime(preview.confirmed_at), "d/m/Y H:i")
        messages.warning(
            request,
            _("Tệp “%(name)s” đã được nhập lúc %(when)s. Lần xác nhận này không thay đổi gì.")
            % {"name": preview.file_name, "when": when},
        )
        return HttpResponseRedirect(done)


class _AlreadyClaimed(Exception):
    pass
