"""Export filters: what an export may be narrowed by, read from a URL, the admin's
changelist or the command line through one form. Unknown or malformed values are dropped
(and named in the file), never an error: an auditor's link must always give a file."""

import re
from dataclasses import dataclass, field

from django import forms
from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import Authority, AwardForm, Decision, Recipient
from portal.text import fold, nfc, normalize_document_number

ORDER_DECISION = "decision"
ORDER_NAME = "name"
ORDERS = {
    ORDER_DECISION: gettext_lazy("Theo quyết định, rồi số thứ tự trong quyết định"),
    ORDER_NAME: gettext_lazy("Theo tên (thứ tự chữ cái tiếng Việt)"),
}


@dataclass
class ExportFilters:
    """Validated export filters. Unknown or malformed values are dropped, never an error."""

    authority: Authority | None = None
    form: AwardForm | None = None
    year: int | None = None
    status: str | None = None
    decisions: list = field(default_factory=list)
    kind: str | None = None
    order: str = ORDER_DECISION
    # The admin search boxes: recipients (name, unit, position, decision number) and decisions
    # (number in its variants, tờ trình number, title), matched as the changelists match them.
    search: str = ""
    decision_search: str = ""
    ignored: list = field(default_factory=list)
    # Decisions were asked for and none exists: the export is empty, never the whole list.
    decisions_not_found: bool = False

    def as_log(self):
        """A JSON-ready description (slugs and labels) stored in the export log."""
        data = {"order": self.order}
        if self.authority:
            data["authority"] = self.authority.slug
        if self.form:
            data["form"] = self.form.slug
        if self.year:
            data["year"] = self.year
        if self.status:
            data["status"] = self.status
        if self.decisions:
            data["decision"] = [d.slug for d in self.decisions]
        if self.kind:
            data["kind"] = self.kind
        if self.search:
            data["q"] = self.search
        if self.decision_search:
            data["decision_q"] = self.decision_search
        if self.decisions_not_found:
            data["decision"] = "not-found"
        if self.ignored:
            data["ignored"] = self.ignored
        return data

    def describe(self):
        """Human-readable filter lines for the XLSX title block."""
        lines = []
        if self.authority:
            lines.append(_("Cơ quan khen thưởng: %(v)s") % {"v": self.authority.name})
        if self.form:
            lines.append(_("Hình thức: %(v)s") % {"v": self.form.name})
        if self.year:
            lines.append(_("Năm: %(v)s") % {"v": self.year})
        if self.status:
            lines.append(_("Tình trạng: %(v)s") % {"v": Decision.Status(self.status).label})
        if self.decisions:
            numbers = ", ".join(d.number or d.proposal_number for d in self.decisions[:50])
            if len(self.decisions) > 50:
                numbers += _(" … (%(n)s quyết định)") % {"n": len(self.decisions)}
            lines.append(_("Quyết định: %(v)s") % {"v": numbers})
        if self.decisions_not_found:
            lines.append(_("Quyết định: không tìm thấy quyết định nào như yêu cầu."))
        if self.kind:
            lines.append(_("Loại: %(v)s") % {"v": Recipient.Kind(self.kind).label})
        if self.search:
            lines.append(_("Tìm tập thể, cá nhân: “%(v)s”") % {"v": self.search})
        if self.decision_search:
            lines.append(_("Tìm quyết định: “%(v)s”") % {"v": self.decision_search})
        if not lines:
            lines.append(_("Không lọc: toàn bộ danh sách."))
        if self.ignored:
            # Say so in the file: an auditor must not take it for the list that was asked for.
            lines.append(
                _("Bộ lọc bị bỏ qua vì giá trị không hợp lệ: %(v)s")
                % {"v": ", ".join(self.ignored)}
            )
        lines.append(_("Sắp xếp: %(v)s") % {"v": ORDERS[self.order]})
        return lines


# Query values are free text from a URL: PostgreSQL refuses NUL bytes (a 500), and
# ``str.isdigit()`` accepts "²", which ``int()`` does not. Only ASCII shapes get to a query.
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
_YEAR = re.compile(r"[0-9]{4}")
_ID = re.compile(r"[0-9]{1,11}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_param(value):
    """NFC, without control characters, stripped and capped: safe to put in a query."""
    if value is None:
        return ""
    return _CONTROL.sub("", nfc(str(value))).strip()[:200]


def is_slug(value):
    return bool(_SLUG.fullmatch(value or ""))


def parse_year(value):
    """A year between 1900 and 2200 written in ASCII digits, or ``None``."""
    value = clean_param(value)
    if _YEAR.fullmatch(value) and 1900 <= int(value) <= 2200:
        return int(value)
    return None


class _Param(forms.Field):
    """One value from a query dict or a plain dict (the first of a list), cleaned."""

    widget = forms.HiddenInput

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        return clean_param(value)


class _Params(forms.Field):
    """Several values: repeated parameters and/or comma-separated lists (at most 500)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if value in (None, ""):
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        out = []
        for item in values:
            for part in str(item).split(","):
                part = clean_param(part)
                if part:
                    out.append(part)
        return out[:500]


class ExportFilterForm(forms.Form):
    """The export's filters as a form; :meth:`filters` gives the :class:`ExportFilters`.

    ``authority``, ``form`` and ``decision`` are slugs (a decision also by id or number);
    ``year`` is a four-digit year; ``status``, ``kind`` and ``order`` are choice values. At
    most one query per given filter, whatever the number of rows. A field that does not
    validate is left out of the export and listed in ``ignored``.
    """

    authority = _Param(required=False)
    form = _Param(required=False)
    year = _Param(required=False)
    status = _Param(required=False)
    kind = _Param(required=False)
    q = _Param(required=False)
    decision_q = _Param(required=False)
    order = _Param(required=False)
    decision = _Params(required=False)

    def _invalid(self):
        return forms.ValidationError(_("Giá trị không hợp lệ."), code="invalid")

    def clean_authority(self):
        value = self.cleaned_data["authority"]
        if not value:
            return None
        found = Authority.objects.filter(slug=value).first() if is_slug(value) else None
        if found is None:
            raise self._invalid()
        return found

    def clean_form(self):
        value = self.cleaned_data["form"]
        if not value:
            return None
        found = AwardForm.objects.filter(slug=value).first() if is_slug(value) else None
        if found is None:
            raise self._invalid()
        return found

    def clean_year(self):
        value = self.cleaned_data["year"]
        if not value:
            return None
        year = parse_year(value)
        if year is None:
            raise self._invalid()
        return year

    def _choice(self, name, allowed):
        value = self.cleaned_data[name]
        if value and value not in allowed:
            raise self._invalid()
        return value or None

    def clean_status(self):
        return self._choice("status", Decision.Status.values)

    def clean_kind(self):
        return self._choice("kind", Recipient.Kind.values)

    def clean_order(self):
        return self._choice("order", ORDERS)

    def clean_decision(self):
        wanted = self.cleaned_data["decision"]
        if not wanted:
            return None
        ids = [int(v) for v in wanted if _ID.fullmatch(v)]
        slugs = [v for v in wanted if is_slug(v) and not _ID.fullmatch(v)]
        # A decision number in any usual spelling (1234/QĐ-UBND, 1234 QD UBND, 522-QĐ/TU).
        numbers = {normalize_document_number(v) for v in wanted if not _ID.fullmatch(v)} - {""}
        found = list(
            Decision.objects.filter(
                Q(pk__in=ids) | Q(slug__in=slugs) | Q(number_normalized__in=numbers)
            ).select_related("authority", "form", "proposed_by")
        )
        return found, len(found) < len(set(wanted))

    def filters(self):
        self.is_valid()
        data = self.cleaned_data
        filters = ExportFilters(
            authority=data.get("authority"),
            form=data.get("form"),
            year=data.get("year"),
            status=data.get("status"),
            kind=data.get("kind"),
            order=data.get("order") or ORDER_DECISION,
            search=data.get("q") or "",
            decision_search=data.get("decision_q") or "",
        )
        # In the order of the fields, so that the file and the log list them the same way.
        filters.ignored = [name for name in self.fields if name in self.errors]
        if data.get("decision") is not None:
            found, some_missing = data["decision"]
            filters.decisions = found
            if not found:
                filters.decisions_not_found = True
            elif some_missing:
                filters.ignored.append("decision")
        return filters


def filters_parse(*, data):
    """:class:`ExportFilters` from a query dict or a plain dict (command options)."""
    return ExportFilterForm(data=data).filters()


def decision_search_q(term, prefix=""):
    """The decisions changelist's search: number in its variants, tờ trình number, title."""
    term = clean_param(term)
    if not term:
        return Q()
    condition = Q(**{f"{prefix}title__icontains": term})
    number = normalize_document_number(term)
    if number:
        condition |= Q(**{f"{prefix}number_normalized__contains": number})
        condition |= Q(**{f"{prefix}proposal_number_normalized__contains": number})
    folded = fold(term)
    if folded != term.casefold():
        condition |= Q(**{f"{prefix}title__icontains": folded})
    return condition


def recipient_search_q(term):
    """The recipients changelist's search: every word in the name, unit or position (as
    Django's admin search does), or the whole term as the decision's number."""
    term = clean_param(term)
    if not term:
        return Q()
    words = Q()
    for bit in smart_split(term):
        if len(bit) > 1 and bit[0] in "\"'" and bit[-1] == bit[0]:
            bit = unescape_string_literal(bit)
        words &= Q(name__icontains=bit) | Q(unit__icontains=bit) | Q(position__icontains=bit)
    number = normalize_document_number(term)
    if any(ch.isdigit() for ch in number):  # "UBND" alone would match every decision
        words |= Q(decision__number_normalized__contains=number)
    return words


def decision_year_q(year, prefix=""):
    """Decisions of ``year``: by decision date, or by proposal date when not yet decided."""
    return Q(**{f"{prefix}date__year": year}) | Q(
        **{f"{prefix}date__isnull": True, f"{prefix}proposal_date__year": year}
    )
