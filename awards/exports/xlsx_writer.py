"""The XLSX export, streamed row by row (``portal.xlsx``): a title block with the filters,
the rows, then totals and, for one decision, its reconciliation."""

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from awards.exports.columns import COLUMNS, HEADERS
from awards.exports.log import export_log_finish, file_sha256
from awards.exports.selection import Stats, export_rows
from awards.models import Recipient
from portal.xlsx import BOLD, TITLE, Cell, StreamingSheet


def _title_block(filters, user_label):
    top = [[Cell(_("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG"), TITLE)]]
    now = timezone.localtime()
    generated = _("Xuất lúc %(when)s") % {"when": now.strftime("%d/%m/%Y %H:%M")}
    if user_label:
        generated += " – " + _("người xuất: %(who)s") % {"who": user_label}
    top.append([generated])
    top.append([Cell(_("Bộ lọc đã dùng"), BOLD)])
    top.extend([[line] for line in filters.describe()])
    if len(filters.decisions) == 1:
        d = filters.decisions[0]
        top.append([Cell(_("Thông tin quyết định"), BOLD)])
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
        top.extend([label, value] for label, value in meta)
    top.append([])
    return top


def xlsx_write(*, rows, fileobj, filters, stats, user_label=""):
    """Write the XLSX to ``fileobj``, streaming: memory stays flat whatever the row count."""
    top = _title_block(filters, user_label)
    header_row = len(top) + 1
    sheet = StreamingSheet(
        fileobj,
        title=_("Khen thưởng"),
        widths=[column.width for column in COLUMNS],
        # Panes freeze below the header and right of the name column.
        freeze=f"D{header_row + 1}",
    )
    for row in top:
        sheet.append(row)
    sheet.append([Cell(str(h), BOLD) for h in HEADERS])
    n = 0
    # Dates are written as dates (DD/MM/YYYY) by the sheet; text is always a string cell.
    for row in rows:
        n += 1
        stats.add(row[-1])
        sheet.append(row[:-1])
    last = header_row + n
    sheet.append([])
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
        sheet.append([None, None, Cell(label, BOLD), Cell(value, BOLD)])
    if len(filters.decisions) == 1:
        from awards.services import decision_reconcile

        # Against every recipient recorded for the decision, not just the exported rows: a
        # year, kind or search filter narrowing the file is not a gap in the records.
        rec = decision_reconcile(decision=filters.decisions[0])
        lines = rec.messages() or [_("Số đã nhập khớp với số ghi trong quyết định.")]
        for line in lines:
            sheet.append([None, None, Cell(_("Đối chiếu với quyết định"), BOLD), line])
    auto_filter = f"A{header_row}:{get_column_letter(len(HEADERS))}{last}" if n else None
    sheet.close(auto_filter=auto_filter)
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
