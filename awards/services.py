"""Commendation logic: reconciliation of declared and recorded counts, recipient import."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from awards.models import Decision, Recipient
from portal import pagecache
from portal.text import fold, nfc

IMPORT_MAX_ROWS = 5000


def import_max_bytes():
    return getattr(settings, "AWARDS_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


# ---------------------------------------------------------------------------------------------
# Reconciliation


@dataclass(frozen=True)
class Reconciliation:
    declared_collectives: int
    declared_individuals: int
    recorded_collectives: int
    recorded_individuals: int

    @property
    def collective_gap(self):
        return self.recorded_collectives - self.declared_collectives

    @property
    def individual_gap(self):
        return self.recorded_individuals - self.declared_individuals

    @property
    def matches(self):
        return self.collective_gap == 0 and self.individual_gap == 0

    def messages(self):
        """Vietnamese sentences describing each difference (empty when everything matches)."""
        out = []
        for label, declared, recorded in (
            (_("tập thể"), self.declared_collectives, self.recorded_collectives),
            (_("cá nhân"), self.declared_individuals, self.recorded_individuals),
        ):
            if recorded < declared:
                out.append(
                    _(
                        "Quyết định ghi %(declared)s %(label)s, mới nhập %(recorded)s "
                        "(thiếu %(gap)s)."
                    )
                    % {
                        "declared": declared,
                        "label": label,
                        "recorded": recorded,
                        "gap": declared - recorded,
                    }
                )
            elif recorded > declared:
                out.append(
                    _("Quyết định ghi %(declared)s %(label)s, đã nhập %(recorded)s (thừa %(gap)s).")
                    % {
                        "declared": declared,
                        "label": label,
                        "recorded": recorded,
                        "gap": recorded - declared,
                    }
                )
        return out

    def summary(self):
        return (
            f"{self.recorded_collectives}/{self.declared_collectives} · "
            f"{self.recorded_individuals}/{self.declared_individuals}"
        )


def decision_reconcile(*, decision):
    """Declared against recorded counts; uses ``with_recorded_counts()`` annotations if there."""
    collectives = getattr(decision, "recorded_collectives", None)
    individuals = getattr(decision, "recorded_individuals", None)
    if collectives is None or individuals is None:
        counts = decision.recipients.aggregate(
            c=Count("pk", filter=Q(kind=Recipient.Kind.COLLECTIVE)),
            i=Count("pk", filter=Q(kind=Recipient.Kind.INDIVIDUAL)),
        )
        collectives, individuals = counts["c"], counts["i"]
    return Reconciliation(
        declared_collectives=decision.declared_collectives,
        declared_individuals=decision.declared_individuals,
        recorded_collectives=collectives,
        recorded_individuals=individuals,
    )


def awards_totals(*, queryset=None):
    """Recipients per kind, awards and proposals apart (one query).

    A proposal is never counted as an award: only decided, numbered decisions count.
    """
    qs = Recipient.objects.all() if queryset is None else queryset
    award = Q(decision__status=Decision.Status.DECIDED) & ~Q(decision__number="")
    collective = Q(kind=Recipient.Kind.COLLECTIVE)
    individual = Q(kind=Recipient.Kind.INDIVIDUAL)
    return qs.aggregate(
        award_collectives=Count("pk", filter=award & collective),
        award_individuals=Count("pk", filter=award & individual),
        proposed_collectives=Count("pk", filter=~award & collective),
        proposed_individuals=Count("pk", filter=~award & individual),
    )


# ---------------------------------------------------------------------------------------------
# Import

# Accepted headers, folded (accents, case and Unicode form ignored).
COLUMN_ALIASES = {
    "order": {"stt", "so thu tu", "thu tu", "order"},
    "kind": {"loai", "doi tuong", "loai doi tuong", "kind"},
    "name": {
        "ho va ten / ten tap the",
        "ho va ten",
        "ho ten",
        "ten",
        "ten tap the",
        "ten tap the / ho va ten",
        "name",
    },
    "position": {"chuc vu", "position"},
    "unit": {"don vi", "co quan", "co quan, don vi", "don vi cong tac", "unit"},
    "achievement": {"noi dung thanh tich", "thanh tich", "achievement"},
}
KIND_ALIASES = {
    "tap the": Recipient.Kind.COLLECTIVE,
    "tt": Recipient.Kind.COLLECTIVE,
    "collective": Recipient.Kind.COLLECTIVE,
    "ca nhan": Recipient.Kind.INDIVIDUAL,
    "cn": Recipient.Kind.INDIVIDUAL,
    "individual": Recipient.Kind.INDIVIDUAL,
}
MAX_LENGTHS = {"name": 300, "position": 300, "unit": 300, "achievement": 5000}


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors and bool(self.rows)


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def _read_csv(data):
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes nearly anything
        raise ValueError(_("Không đọc được bảng mã của tệp CSV: hãy lưu dạng UTF-8."))
    text = nfc(text)
    if "\x00" in text:
        raise ValueError(_("Tệp CSV chứa ký tự không hợp lệ (có thể không phải tệp văn bản)."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [
            list(row)
            for _i, row in zip(
                range(IMPORT_MAX_ROWS + 2), csv.reader(io.StringIO(text), dialect), strict=False
            )
        ]
    except csv.Error as exc:
        raise ValueError(_("Tệp CSV hỏng: %(error)s") % {"error": exc}) from exc


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken or fake file
        raise ValueError(
            _("Không mở được tệp Excel (.xlsx): tệp hỏng hoặc sai định dạng.")
        ) from exc
    try:
        ws = wb.worksheets[0]
        rows = []
        for row in ws.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > IMPORT_MAX_ROWS + 1:
                break
        return rows
    except Exception as exc:
        raise ValueError(_("Không đọc được trang tính đầu tiên của tệp Excel.")) from exc
    finally:
        wb.close()


def recipients_parse(*, upload):
    """Read a CSV or XLSX recipient list. Nothing is saved: the result is shown for review.

    Returns an :class:`ImportResult` with the clean rows and Vietnamese error messages (file
    errors, or one message per bad row with its line number).
    """
    result = ImportResult()
    name = (getattr(upload, "name", "") or "").lower()
    size = getattr(upload, "size", 0) or 0
    if size > import_max_bytes():
        result.errors.append(
            _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": import_max_bytes() // (1024 * 1024)}
        )
        return result
    data = upload.read(import_max_bytes() + 1)
    if not data:
        result.errors.append(_("Tệp rỗng."))
        return result
    try:
        if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
            raw_rows = _read_xlsx(data)
        elif name.endswith((".csv", ".txt")):
            raw_rows = _read_csv(data)
        else:
            raise ValueError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    except ValueError as exc:
        result.errors.append(str(exc))
        return result

    rows = [[_cell_text(v) for v in row] for row in raw_rows]
    rows = [(i, row) for i, row in enumerate(rows, start=1) if any(row)]
    if not rows:
        result.errors.append(_("Tệp không có dữ liệu."))
        return result
    header_line, header = rows[0]
    columns = {}
    for index, title in enumerate(header):
        folded = fold(title).replace("\u00a0", " ")
        for key, aliases in COLUMN_ALIASES.items():
            if folded in aliases and key not in columns:
                columns[key] = index
    missing = [
        label
        for key, label in (("kind", "Loại"), ("name", "Họ và tên / Tên tập thể"))
        if key not in columns
    ]
    if missing:
        result.errors.append(
            _("Dòng tiêu đề (dòng %(line)s) thiếu cột: %(columns)s.")
            % {"line": header_line, "columns": ", ".join(f"“{m}”" for m in missing)}
        )
        return result
    body = rows[1:]
    if len(body) > IMPORT_MAX_ROWS:
        result.errors.append(
            _("Tệp có quá nhiều dòng: tối đa %(max)s dòng mỗi lần nhập.") % {"max": IMPORT_MAX_ROWS}
        )
        return result

    def get(row, key):
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else ""

    seen_orders = set()
    for line, row in body:
        problems = []
        kind_text = get(row, "kind")
        kind = KIND_ALIASES.get(fold(kind_text))
        if kind is None:
            problems.append(
                _("loại “%(value)s” không hợp lệ, hãy ghi “Tập thể” hoặc “Cá nhân”")
                % {"value": kind_text[:40]}
                if kind_text
                else _("thiếu loại (Tập thể / Cá nhân)")
            )
        name_value = get(row, "name")
        if not name_value:
            problems.append(_("thiếu họ và tên / tên tập thể"))
        for key, limit in MAX_LENGTHS.items():
            if len(get(row, key)) > limit:
                problems.append(_("cột %(col)s dài quá %(max)s ký tự") % {"col": key, "max": limit})
        order_text = get(row, "order")
        order = None
        if order_text:
            if re.fullmatch(r"[0-9]{1,6}", order_text):  # "²".isdigit(), but int("²") fails
                order = int(order_text)
                if order in seen_orders:
                    problems.append(_("STT %(n)s bị trùng") % {"n": order})
                seen_orders.add(order)
            else:
                problems.append(_("STT “%(value)s” không phải số") % {"value": order_text[:20]})
        if problems:
            result.errors.append(
                _("Dòng %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}
            )
            continue
        result.rows.append(
            {
                "order": order,
                "kind": str(kind),
                "name": name_value,
                "position": get(row, "position"),
                "unit": get(row, "unit"),
                "achievement": get(row, "achievement"),
            }
        )
    if not result.rows and not result.errors:
        result.errors.append(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    return result


def recipients_import(*, decision, rows, user=None, replace=False):
    """Save parsed rows to ``decision``: all of them or none (one transaction).

    Rows without an STT continue after the highest order already recorded for the decision.
    Each created recipient gets a history record (who and when come from the request).
    """
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if replace:
            for recipient in decision.recipients.all():
                recipient.delete()  # one by one so that history records each deletion
        last = max(decision.recipients.values_list("order", flat=True), default=0)
        objects = []
        for row in rows:
            if row.get("order"):
                order = row["order"]
            else:
                last += 1
                order = last
            last = max(last, order)
            recipient = Recipient(
                decision=decision,
                kind=row["kind"],
                name=nfc(row["name"]).strip(),
                position=nfc(row.get("position", "")),
                unit=nfc(row.get("unit", "")),
                achievement=nfc(row.get("achievement", "")),
                order=order,
                is_demo=decision.is_demo,
            )
            recipient.sort_key = recipient.compute_sort_key()
            recipient.full_clean(exclude=["decision"], validate_constraints=False)
            objects.append(recipient)
        bulk_create_with_history(objects, Recipient, batch_size=500, default_user=user)
        pagecache.bump()  # bulk_create sends no signals
    return len(objects)
