"""The XLSX export: openpyxl's write-only mode (rows go to disk, not memory), a title block
with the filters, the rows, then totals and, for one decision, its reconciliation."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from awards.exports.columns import COLUMNS, DATE_COLUMNS, HEADERS
from awards.exports.log import export_log_finish, file_sha256
from awards.exports.selection import Stats, export_rows
from awards.models import Recipient
from portal.spreadsheets import xlsx_text


def xlsx_write(*, rows, fileobj, filters, stats, user_label=""):
    """Write the XLSX (write-only mode: rows go to disk, not memory) to ``fileobj``."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_("Khen thưởng")[:31])
    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)

    def cell(value, font=None, number_format=None):
        c = WriteOnlyCell(ws, value=xlsx_text(value))
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
    for i, column in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
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
            value = xlsx_text(value)  # first: "\x01=SUM(...)" only starts with "=" once cleaned
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
