"""Recipient exports: streaming CSV and write-only XLSX, with filters, and the export log.

Both formats read the rows with one query (``values_list`` through ``iterator()``), so memory
stays flat whatever the number of rows, and the SHA-256 of the bytes is computed as they are
produced. Cells are never interpreted by a spreadsheet: CSV cells that start with ``= + - @``,
a tab or a carriage return, also after leading spaces or line breaks (LibreOffice's "trim
spaces" import option and Google Sheets evaluate `` =1+1``), get a leading apostrophe (the
OWASP/pretix rule); XLSX cells are written as strings, never as formulas.
"""

import csv
import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Coalesce, Collate
from django.utils import timezone
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from awards.models import Authority, AwardForm, Decision, ExportLog, Recipient
from portal.text import document_numbers, fold, nfc, normalize_document_number

BOM = "\ufeff"
CSV_CHUNK_ROWS = 500
ITERATOR_CHUNK = 2000
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

ORDER_DECISION = "decision"
ORDER_NAME = "name"
ORDERS = {
    ORDER_DECISION: gettext_lazy("Theo quyết định, rồi số thứ tự trong quyết định"),
    ORDER_NAME: gettext_lazy("Theo tên (thứ tự chữ cái tiếng Việt)"),
}

# (header, values_list field or None for computed)
_FIELDS = [
    "kind",
    "name",
    "position",
    "unit",
    "achievement",
    "decision__reason",
    "decision__form__name",
    "decision__authority__name",
    "decision__authority__kind",
    "decision__status",
    "decision__number",
    "decision__date",
    "decision__signer_name",
    "decision__signer_title",
    "decision__proposal_number",
    "decision__proposal_date",
    "decision__proposed_by__name",
    "decision__event",
    "order",
    "decision__slug",
]

HEADERS = [
    gettext_lazy("STT"),
    gettext_lazy("Loại"),
    gettext_lazy("Họ và tên / Tên tập thể"),
    gettext_lazy("Chức vụ"),
    gettext_lazy("Đơn vị"),
    gettext_lazy("Nội dung thành tích"),
    gettext_lazy("Hình thức khen thưởng"),
    gettext_lazy("Cơ quan khen thưởng"),
    gettext_lazy("Khối"),
    gettext_lazy("Tình trạng"),
    gettext_lazy("Số quyết định"),
    gettext_lazy("Ngày quyết định"),
    gettext_lazy("Người ký"),
    gettext_lazy("Chức vụ người ký"),
    gettext_lazy("Số tờ trình đề nghị"),
    gettext_lazy("Ngày tờ trình"),
    gettext_lazy("Cơ quan đề nghị"),
    gettext_lazy("Đợt / phong trào"),
    gettext_lazy("Năm"),
    gettext_lazy("STT trong quyết định"),
    gettext_lazy("Mã quyết định trên cổng"),
]
DATE_COLUMNS = {11, 15}  # zero-based positions in HEADERS


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


def _first(data, key):
    value = data.get(key)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return clean_param(value)


def _many(data, key):
    if hasattr(data, "getlist"):
        values = data.getlist(key)
    else:
        value = data.get(key)
        values = value if isinstance(value, (list, tuple)) else [value] if value else []
    out = []
    for value in values:
        for part in str(value).split(","):
            part = clean_param(part)
            if part:
                out.append(part)
    return out[:500]


def filters_parse(*, data):
    """Build :class:`ExportFilters` from a query dict or a plain dict (command options).

    ``authority``, ``form`` and ``decision`` are slugs (a decision also by id); ``year`` is a
    four-digit year; ``status``, ``kind`` and ``order`` are choice values. At most one query
    per given filter, whatever the number of rows.
    """
    filters = ExportFilters()
    value = _first(data, "authority")
    if value:
        if is_slug(value):
            filters.authority = Authority.objects.filter(slug=value).first()
        if filters.authority is None:
            filters.ignored.append("authority")
    value = _first(data, "form")
    if value:
        if is_slug(value):
            filters.form = AwardForm.objects.filter(slug=value).first()
        if filters.form is None:
            filters.ignored.append("form")
    value = _first(data, "year")
    if value:
        filters.year = parse_year(value)
        if filters.year is None:
            filters.ignored.append("year")
    value = _first(data, "status")
    if value:
        if value in Decision.Status.values:
            filters.status = value
        else:
            filters.ignored.append("status")
    value = _first(data, "kind")
    if value:
        if value in Recipient.Kind.values:
            filters.kind = value
        else:
            filters.ignored.append("kind")
    filters.search = _first(data, "q")
    filters.decision_search = _first(data, "decision_q")
    value = _first(data, "order")
    if value:
        if value in ORDERS:
            filters.order = value
        else:
            filters.ignored.append("order")
    wanted = _many(data, "decision")
    if wanted:
        ids = [int(v) for v in wanted if _ID.fullmatch(v)]
        slugs = [v for v in wanted if is_slug(v) and not _ID.fullmatch(v)]
        # A decision number in any usual spelling (1234/QĐ-UBND, 1234 QD UBND, 522-QĐ/TU).
        numbers = {normalize_document_number(v) for v in wanted if not _ID.fullmatch(v)} - {""}
        found = list(
            Decision.objects.filter(
                Q(pk__in=ids) | Q(slug__in=slugs) | Q(number_normalized__in=numbers)
            ).select_related("authority", "form", "proposed_by")
        )
        filters.decisions = found
        if not found:
            filters.decisions_not_found = True
        elif len(found) < len(set(wanted)):
            filters.ignored.append("decision")
    return filters


def decision_search_q(term, prefix=""):
    """The decisions changelist's search: number in its variants, tờ trình number, title."""
    term = clean_param(term)
    if not term:
        return Q()
    condition = Q(**{f"{prefix}title__icontains": term})
    # "quyết định 15/QĐ-UBND" looks for the number inside it; "15" alone for itself.
    for number in document_numbers(term) or [normalize_document_number(term)]:
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


def recipients_filter(*, filters, queryset=None):
    qs = Recipient.objects.all() if queryset is None else queryset
    if filters.authority:
        qs = qs.filter(decision__authority=filters.authority)
    if filters.form:
        qs = qs.filter(decision__form=filters.form)
    if filters.year:
        qs = qs.filter(decision_year_q(filters.year, "decision__"))
    if filters.status == Decision.Status.DECIDED:
        qs = qs.awarded()
    elif filters.status == Decision.Status.PROPOSED:
        qs = qs.filter(~Q(decision__status=Decision.Status.DECIDED) | Q(decision__number=""))
    if filters.decisions_not_found:
        qs = qs.none()
    elif filters.decisions:
        qs = qs.filter(decision__in=filters.decisions)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.search:
        qs = qs.filter(recipient_search_q(filters.search))
    if filters.decision_search:
        qs = qs.filter(decision_search_q(filters.decision_search, "decision__"))
    if filters.order == ORDER_NAME:
        key = "sort_key"
        if connection.vendor == "postgresql":
            # Byte order: the key is hex digits, and a locale collation could reorder it.
            key = Collate("sort_key", "C")
        return qs.order_by("kind", key, "id")
    # Decisions by date (a proposal by its tờ trình date), then each decision's own order.
    return qs.order_by(
        Coalesce("decision__date", "decision__proposal_date"),
        "decision_id",
        "kind",
        "order",
        "id",
    )


def export_rows(*, filters, queryset=None):
    """Yield one list of cell values per recipient (dates as ``date``), in export order."""
    qs = recipients_filter(filters=filters, queryset=queryset).values_list(*_FIELDS)
    kinds = {value: str(label) for value, label in Recipient.Kind.choices}
    authority_kinds = {value: str(label) for value, label in Authority.Kind.choices}
    statuses = {value: str(label) for value, label in Decision.Status.choices}
    decided = Decision.Status.DECIDED
    for n, row in enumerate(qs.iterator(chunk_size=ITERATOR_CHUNK), start=1):
        (kind, name, position, unit, achievement, reason, form, authority, authority_kind,
         status, number, date, signer, signer_title, proposal_number, proposal_date,
         proposed_by, event, order, slug) = row  # fmt: skip
        is_award = status == decided and bool(number)
        if is_award:
            year = date.year if date else ""
        else:
            day = proposal_date or date
            year = day.year if day else ""
        yield [
            n,
            kinds.get(kind, kind),
            name,
            position,
            unit,
            achievement or reason,
            form,
            authority,
            authority_kinds.get(authority_kind, authority_kind),
            statuses[decided] if is_award else statuses[Decision.Status.PROPOSED],
            number if is_award else "",
            date if is_award else None,
            signer,
            signer_title,
            proposal_number,
            proposal_date,
            proposed_by or "",
            event,
            year,
            order,
            slug,
            # Not written: used for the totals.
            (kind, is_award),
        ]


# Whitespace a spreadsheet may trim before it looks for a formula.
_LEADING_BLANKS = " \t\r\n\u00a0\u3000"


def csv_safe(value):
    """Neutralise a cell a spreadsheet would run as a formula (leading apostrophe)."""
    if isinstance(value, str) and (
        value.startswith(FORMULA_TRIGGERS)
        or value.lstrip(_LEADING_BLANKS).startswith(FORMULA_TRIGGERS)
    ):
        return "'" + value
    return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return csv_safe(value)


class _Line:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)


def csv_chunks(*, rows, stats=None):
    """Yield the CSV file as UTF-8 byte chunks: BOM, header, then rows (``\\r\\n`` lines)."""
    buffer = _Line()
    writer = csv.writer(buffer)
    buffer.parts.append(BOM)
    writer.writerow([str(h) for h in HEADERS])
    for row in rows:
        if stats is not None:
            stats.add(row[-1])
        writer.writerow([_csv_value(v) for v in row[:-1]])
        if len(buffer.parts) >= CSV_CHUNK_ROWS:
            yield "".join(buffer.parts).encode("utf-8")
            buffer.parts.clear()
    if buffer.parts:
        yield "".join(buffer.parts).encode("utf-8")


class Stats:
    """Counts rows while they stream: per kind, awards and proposals apart."""

    def __init__(self):
        self.rows = 0
        self.counts = {}

    def add(self, marker):
        self.rows += 1
        self.counts[marker] = self.counts.get(marker, 0) + 1

    def count(self, kind, *, award=True):
        return self.counts.get((kind, award), 0)


XLSX_CELL_MAX = 32767  # Excel refuses to open a file with a longer cell


def _xlsx_text(value):
    if isinstance(value, str):
        return _XLSX_ILLEGAL.sub("", value)[:XLSX_CELL_MAX]
    return value


def xlsx_write(*, rows, fileobj, filters, stats, user_label=""):
    """Write the XLSX (write-only mode: rows go to disk, not memory) to ``fileobj``."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_("Khen thưởng")[:31])
    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)

    def cell(value, font=None, number_format=None):
        c = WriteOnlyCell(ws, value=_xlsx_text(value))
        if font is not None:
            c.font = font
        if number_format:
            c.number_format = number_format
        if isinstance(c.value, str):
            c.data_type = "s"  # text, never a formula (openpyxl reads "=..." as one)
        return c

    top = [[cell(_("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG"), title_font)]]
    now = timezone.localtime()
    generated = _("Xuất lúc %(when)s") % {"when": now.strftime("%d/%m/%Y %H:%M")}
    if user_label:
        generated += " – " + _("người xuất: %(who)s") % {"who": user_label}
    top.append([cell(generated)])
    top.append([cell(_("Bộ lọc đã dùng"), bold)])
    top.extend([[cell(line)] for line in filters.describe()])
    if len(filters.decisions) == 1:
        d = filters.decisions[0]
        top.append([cell(_("Thông tin quyết định"), bold)])
        meta = [
            (_("Trích yếu"), d.title),
            (_("Tình trạng"), d.get_status_display()),
            (_("Số quyết định"), d.number if d.is_award else ""),
            (_("Ngày quyết định"), d.date if d.is_award else None),
            (_("Cơ quan khen thưởng"), d.authority.name),
            (_("Hình thức khen thưởng"), d.form.name),
            (_("Người ký"), " – ".join(x for x in (d.signer_title, d.signer_name) if x)),
            (_("Số tờ trình đề nghị"), d.proposal_number),
            (_("Ngày tờ trình"), d.proposal_date),
            (_("Lý do"), d.reason),
            (_("Đợt / phong trào"), d.event),
            (_("Số tập thể theo quyết định"), d.declared_collectives),
            (_("Số cá nhân theo quyết định"), d.declared_individuals),
        ]
        for label, value in meta:
            fmt = "DD/MM/YYYY" if isinstance(value, datetime.date) else None
            top.append([cell(label), cell(value, number_format=fmt)])
    top.append([])
    header_row = len(top) + 1
    # Panes freeze below the header and right of the name column.
    ws.freeze_panes = f"D{header_row + 1}"
    widths = [6, 10, 32, 24, 32, 40, 22, 26, 16, 18, 16, 14, 22, 22, 16, 14, 22, 30, 8, 10, 30]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in top:
        ws.append(row)
    ws.append([cell(str(h), bold) for h in HEADERS])
    n = 0
    for row in rows:
        n += 1
        stats.add(row[-1])
        out = []
        for i, value in enumerate(row[:-1]):
            if i in DATE_COLUMNS:
                out.append(cell(value, number_format="DD/MM/YYYY") if value else None)
                continue
            value = _xlsx_text(value)  # first: "\x01=SUM(...)" only starts with "=" once cleaned
            if isinstance(value, str) and value.startswith("="):
                out.append(cell(value))
            else:
                out.append(value)
        ws.append(out)
    last = header_row + n
    if n:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(HEADERS))}{last}"
    ws.append([])
    collective, individual = Recipient.Kind.COLLECTIVE, Recipient.Kind.INDIVIDUAL
    totals = [
        (_("Tổng số tập thể được khen thưởng"), stats.count(collective)),
        (_("Tổng số cá nhân được khen thưởng"), stats.count(individual)),
        (_("Tổng cộng được khen thưởng"), stats.count(collective) + stats.count(individual)),
    ]
    proposed_c = stats.count(collective, award=False)
    proposed_i = stats.count(individual, award=False)
    if proposed_c or proposed_i:
        totals += [
            (_("Tập thể được đề nghị (chưa có quyết định, không tính ở trên)"), proposed_c),
            (_("Cá nhân được đề nghị (chưa có quyết định, không tính ở trên)"), proposed_i),
        ]
    for label, value in totals:
        ws.append([None, None, cell(label, bold), cell(value, bold)])
    if len(filters.decisions) == 1:
        from awards.services import decision_reconcile

        # Against every recipient recorded for the decision, not just the exported rows: a
        # year, kind or search filter narrowing the file is not a gap in the records.
        rec = decision_reconcile(decision=filters.decisions[0])
        lines = rec.messages() or [_("Số đã nhập khớp với số ghi trong quyết định.")]
        for line in lines:
            ws.append([None, None, cell(_("Đối chiếu với quyết định"), bold), cell(line)])
    wb.save(fileobj)
    return n


class HashingWriter:
    """A write-only binary file wrapper that hashes and counts what passes through."""

    def __init__(self, target):
        self.target = target
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.sha.update(data)
        self.size += len(data)
        return self.target.write(data)

    def flush(self):
        if hasattr(self.target, "flush"):
            self.target.flush()


def file_sha256(fileobj, *, chunk_size=1024 * 1024):
    fileobj.seek(0)
    sha = hashlib.sha256()
    while chunk := fileobj.read(chunk_size):
        sha.update(chunk)
    fileobj.seek(0)
    return sha.hexdigest()


def file_name_for(*, fmt, filters, when=None):
    when = when or timezone.localtime()
    parts = ["khen-thuong"]
    if filters.year:
        parts.append(str(filters.year))
    if len(filters.decisions) == 1:
        parts.append(filters.decisions[0].slug[:60])
    parts.append(when.strftime("%Y%m%d-%H%M%S"))
    return "-".join(parts) + f".{fmt}"


def export_log_start(*, user, source, fmt, filters, file_name):
    username = getattr(user, "get_username", lambda: "")() if user is not None else ""
    return ExportLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=username,
        source=source,
        format=fmt,
        filters=filters.as_log(),
        file_name=file_name,
    )


def export_log_finish(*, log, row_count, sha256):
    log.row_count = row_count
    log.sha256 = sha256
    log.completed_at = timezone.now()
    log.save(update_fields=["row_count", "sha256", "completed_at"])
    return log


def csv_export_stream(*, filters, log=None, queryset=None):
    """The CSV as byte chunks; when the last chunk is out, the log gets the count and hash."""
    stats = Stats()
    sha = hashlib.sha256()
    for chunk in csv_chunks(rows=export_rows(filters=filters, queryset=queryset), stats=stats):
        sha.update(chunk)
        yield chunk
    if log is not None:
        export_log_finish(log=log, row_count=stats.rows, sha256=sha.hexdigest())


def xlsx_export(*, filters, fileobj, log=None, user_label="", queryset=None):
    """Write the XLSX to a seekable binary ``fileobj``; log the count and the file's hash."""
    stats = Stats()
    xlsx_write(
        rows=export_rows(filters=filters, queryset=queryset),
        fileobj=fileobj,
        filters=filters,
        stats=stats,
        user_label=user_label,
    )
    digest = file_sha256(fileobj)
    if log is not None:
        export_log_finish(log=log, row_count=stats.rows, sha256=digest)
    return stats.rows, digest
