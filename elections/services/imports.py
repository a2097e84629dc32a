"""Import of polling areas from the tally minutes (biên bản kết quả kiểm phiếu).

The file is read by the portal's one table reader (:mod:`portal.tables`), numbers by its one
number rule (:mod:`portal.numbers`), and each row is checked by the same validators as the
model (``validate_turnout``, ``validate_ballots``), which the database constraints repeat.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from elections.models import (
    Contest,
    ElectoralUnit,
    PollingArea,
    validate_ballots,
    validate_turnout,
)
from portal import pagecache
from portal.numbers import parse_count
from portal.tables import Column, Limits, TableError, cell_text, read_table
from portal.text import fold, nfc

# Column headers of the tally minutes, matched ignoring case, accents and Unicode form.
IMPORT_COLUMNS = [
    Column("code", "Mã khu vực", True, ("ma khu vuc", "ma kvbp", "ma", "so khu vuc")),
    Column("name", "Tên khu vực bỏ phiếu", True, ("ten khu vuc bo phieu", "ten khu vuc",
                                                  "khu vuc")),
    Column("locality", "Xã/phường, huyện", False, ("xa/phuong, huyen", "xa/phuong", "dia ban")),
    Column("unit", "Đơn vị bầu cử số", False, ("don vi bau cu so", "don vi bau cu", "dvbc")),
    Column("registered", "Tổng số cử tri", True, ("tong so cu tri", "so cu tri")),
    Column("voted", "Số cử tri đã bỏ phiếu", True, ("so cu tri da bo phieu", "da bo phieu")),
    Column("ballots_issued", "Số phiếu phát ra", False, ("so phieu phat ra",)),
    Column("ballots_received", "Số phiếu thu vào", False, ("so phieu thu vao",)),
    Column("valid_ballots", "Số phiếu hợp lệ", False, ("so phieu hop le",)),
    Column("invalid_ballots", "Số phiếu không hợp lệ", False, ("so phieu khong hop le",)),
]  # fmt: skip
INTEGER_COLUMNS = {
    "unit",
    "registered",
    "voted",
    "ballots_issued",
    "ballots_received",
    "valid_ballots",
    "invalid_ballots",
}
MAX_IMPORT_ROWS = 20000
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def import_limits():
    return Limits(max_bytes=MAX_IMPORT_BYTES, max_rows=MAX_IMPORT_ROWS)


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)  # dicts ready to save, with "line"
    errors: list = field(default_factory=list)  # (line or None, message)
    created: int = 0
    updated: int = 0

    @property
    def is_valid(self):
        return not self.errors and bool(self.rows)


def _messages(error):
    if hasattr(error, "message_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


def polling_areas_parse(*, election, content, filename):
    """Check an uploaded tally file row by row; nothing is written.

    The header may sit under the title of the minutes; rows with every cell empty are skipped.
    """
    report = ImportReport()
    try:
        table = read_table(
            content, filename=filename, columns=IMPORT_COLUMNS, limits=import_limits()
        )
    except TableError as exc:
        report.errors.append((None, str(exc)))
        return report

    units = _units_by_number(election)
    labels = {column.key: column.label for column in IMPORT_COLUMNS}
    seen_codes = {}
    for line, cells in table.rows:
        errors = []
        values = {"line": line}
        for key, value in cells.items():
            if key in INTEGER_COLUMNS:
                try:
                    values[key] = parse_count(value)
                except ValidationError as exc:
                    errors.append(
                        _("cột “%(col)s”: %(error)s")
                        % {"col": labels[key], "error": " ".join(exc.messages).rstrip(".")}
                    )
                    values[key] = None
            else:
                values[key] = cell_text(value)
        for key in ("code", "name", "registered", "voted"):
            if values.get(key) in (None, "") and not any(labels[key] in e for e in errors):
                errors.append(_("thiếu “%(col)s”") % {"col": labels[key]})
        if len(values.get("code") or "") > 30:
            errors.append(_("mã khu vực dài quá 30 ký tự"))
        if len(values.get("name") or "") > 200:
            errors.append(_("tên khu vực dài quá 200 ký tự"))
        code = values.get("code")
        if code:
            folded = fold(code)
            if folded in seen_codes:
                errors.append(
                    _("mã khu vực “%(code)s” trùng với dòng %(line)s")
                    % {"code": code, "line": seen_codes[folded]}
                )
            else:
                seen_codes[folded] = line
        # The model's own rules, so a file cannot store what the admin form refuses.
        for check, kwargs in (
            (validate_turnout, (values.get("registered"), values.get("voted"))),
            (
                validate_ballots,
                {
                    "issued": values.get("ballots_issued"),
                    "received": values.get("ballots_received"),
                    "valid": values.get("valid_ballots"),
                    "invalid": values.get("invalid_ballots"),
                    "voted": values.get("voted"),
                },
            ),
        ):
            try:
                check(*kwargs) if isinstance(kwargs, tuple) else check(**kwargs)
            except ValidationError as exc:
                errors.extend(m.rstrip(".") for m in _messages(exc))
        number = values.pop("unit", None)
        values["unit_id"] = None
        if number is not None:
            if units.get(number):
                values["unit_id"] = units[number]
            else:
                errors.append(
                    _("không có đơn vị bầu cử số %(number)s trong cuộc bầu cử này")
                    % {"number": number}
                )
        if errors:
            report.errors.append((line, "; ".join(str(e) for e in errors)))
        else:
            report.rows.append(values)
    if not report.rows and not report.errors:
        report.errors.append((None, _("Tệp không có dòng số liệu nào.")))
    existing = _existing_areas(election)
    report.updated = sum(1 for row in report.rows if _match_area(existing, row["code"]))
    report.created = len(report.rows) - report.updated
    return report


def _existing_areas(election):
    """The polling areas of ``election`` by exact code and by folded code."""
    exact, folded = {}, {}
    for area in PollingArea.objects.filter(election=election).order_by("id"):
        exact[area.code] = area
        folded.setdefault(fold(area.code), area)
    return exact, folded


def _match_area(existing, code):
    # “kv01” in the file is the area “KV01” already entered: same code, typed differently.
    exact, folded = existing
    return exact.get(code) or folded.get(fold(code))


def _units_by_number(election):
    """``{number: unit id}``. Each contest numbers its units from 1; a polling area serves
    every contest, so the number in the minutes means the National Assembly unit when there
    is one, else the only unit with that number."""
    by_number = {}
    units = ElectoralUnit.objects.filter(contest__election=election).values_list(
        "number", "pk", "contest__kind"
    )
    for number, pk, kind in units:
        by_number.setdefault(number, []).append((kind != Contest.Kind.NATIONAL_ASSEMBLY, pk))
    return {
        number: sorted(options)[0][1]
        for number, options in by_number.items()
        if len(options) == 1 or sorted(options)[0][0] is False
    }


IMPORT_FIELDS = [
    "name",
    "locality",
    "unit_id",
    "registered",
    "voted",
    "ballots_issued",
    "ballots_received",
    "valid_ballots",
    "invalid_ballots",
]
IMPORT_BATCH = 500


def polling_areas_import(*, election, rows, user=None):
    """Create or update the polling areas of ``election`` from checked rows, all or nothing.

    Rows are matched to existing areas by code (ignoring case and accents). The rows were
    checked by :func:`polling_areas_parse` and the database constraints check them again, so
    they are written in bulk (a 20,000-row file takes seconds, not minutes), each with a
    history row naming ``user``. Unchanged areas are left alone.
    Raises ``ValidationError`` when a unit of the file no longer exists.
    """
    report = ImportReport(rows=rows)
    unit_ids = set(
        ElectoralUnit.objects.filter(contest__election=election).values_list("pk", flat=True)
    )
    if any(values.get("unit_id") not in (None, *unit_ids) for values in rows):
        raise ValidationError(_("Một đơn vị bầu cử trong tệp không còn tồn tại."))
    with transaction.atomic():
        existing = _existing_areas(election)
        to_create, to_update = [], []
        for values in rows:
            area = _match_area(existing, values["code"])
            if area is None:
                area = PollingArea(election=election, code=values["code"])
                to_create.append(area)
            changed = False
            for name in IMPORT_FIELDS:
                value = values.get(name)
                if name == "locality" and value is None:
                    value = ""
                value = nfc(value)
                if getattr(area, name) != value:
                    setattr(area, name, value)
                    changed = True
            if area.pk is not None and changed:
                to_update.append(area)
        bulk_create_with_history(to_create, PollingArea, batch_size=IMPORT_BATCH, default_user=user)
        if to_update:
            bulk_update_with_history(
                to_update, PollingArea, IMPORT_FIELDS, batch_size=IMPORT_BATCH, default_user=user
            )
        pagecache.bump()  # bulk writes send no signals
    report.created, report.updated = len(to_create), len(to_update)
    return report
