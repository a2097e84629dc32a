"""Election arithmetic and imports, by the law (Luật Bầu cử 85/2015/QH13, Art. 78-80).

Everything here is a plain function with keyword-only arguments. Nothing is computed in
``save()``: winners, re-runs and by-votes are derived from the counts every time.
"""

import codecs
import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from elections.models import Contest, ElectoralUnit, PollingArea
from portal import pagecache
from portal.text import fold, nfc, person_sort_key

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def percentage(part, whole):
    """``part`` as a percentage of ``whole``, two decimals, half up; ``None`` if undefined."""
    if part is None or not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TWO_PLACES, ROUND_HALF_UP)


# --- Turnout -------------------------------------------------------------------------------


@dataclass
class Turnout:
    registered: int | None
    voted: int | None
    percentage: Decimal | None
    areas_total: int | None
    areas_full: int | None
    source: str  # "areas" or "summary"
    source_note: str = ""

    @property
    def areas_full_percentage(self):
        return percentage(self.areas_full, self.areas_total)

    @property
    def is_computed(self):
        return self.source == "areas"


def area_totals(*, election):
    """Per-unit sums of the polling areas of ``election`` in one query.

    Returns ``{unit_id or None: {"registered", "voted", "areas", "areas_full"}}``.
    """
    rows = (
        PollingArea.objects.filter(election=election)
        .values("unit_id")
        .order_by("unit_id")
        .annotate(
            # Named apart from the fields: the filter below must compare the fields.
            sum_registered=Sum("registered"),
            sum_voted=Sum("voted"),
            areas=Count("id"),
            areas_full=Count("id", filter=Q(voted=F("registered"), registered__gt=0)),
        )
    )
    return {
        row["unit_id"]: {
            "registered": row["sum_registered"] or 0,
            "voted": row["sum_voted"] or 0,
            "areas": row["areas"],
            "areas_full": row["areas_full"],
        }
        for row in rows
    }


def election_turnout(*, election, totals=None, summary=None):
    """The turnout of ``election``: from its polling areas, else the official summary.

    Areas count only once they are all entered: while fewer areas are entered than the
    summary's total, the official figures stay (an import of one district must not replace
    the province's 99,47% with that district's numbers).

    ``totals`` (from :func:`area_totals`) and ``summary`` may be passed to avoid queries.
    Returns ``None`` when neither exists.
    """
    if totals is None:
        totals = area_totals(election=election)
    if summary is None:
        summary = getattr(election, "turnout_summary", None)
    entered = sum(row["areas"] for row in totals.values())
    if totals and not (summary and summary.areas_total and entered < summary.areas_total):
        registered = sum(row["registered"] or 0 for row in totals.values())
        voted = sum(row["voted"] or 0 for row in totals.values())
        return Turnout(
            registered=registered,
            voted=voted,
            percentage=percentage(voted, registered),
            areas_total=sum(row["areas"] for row in totals.values()),
            areas_full=sum(row["areas_full"] for row in totals.values()),
            source="areas",
            source_note=_("Tính từ số liệu các khu vực bỏ phiếu"),
        )
    if summary is None:
        return None
    pct = summary.percentage
    if pct is None:
        pct = percentage(summary.voted, summary.registered)
    return Turnout(
        registered=summary.registered,
        voted=summary.voted,
        percentage=pct,
        areas_total=summary.areas_total,
        areas_full=summary.areas_full,
        source="summary",
        source_note=summary.source,
    )


# --- Tally ---------------------------------------------------------------------------------


@dataclass
class CandidateResult:
    candidate: object
    votes: int
    percentage: Decimal | None
    passes_half: bool
    elected: bool = False
    tied_unresolved: bool = False


@dataclass
class Tally:
    unit: object
    seats: int
    registered: int | None
    voted: int | None
    turnout: Decimal | None
    valid_ballots: int | None
    rows: list = field(default_factory=list)
    has_result: bool = False
    rerun: bool = False
    byvote: bool = False
    needs_review: bool = False
    inconsistent: bool = False

    @property
    def winners(self):
        return [row for row in self.rows if row.elected]

    @property
    def status(self):
        if not self.has_result:
            return _("Chưa có kết quả")
        if self.rerun:
            return _("Phải bầu cử lại: số cử tri đã bỏ phiếu không quá một nửa tổng số cử tri")
        if self.inconsistent:
            return _("Cần xem lại: số phiếu của người ứng cử lớn hơn số phiếu hợp lệ")
        if self.needs_review:
            return _("Cần xem lại: người ứng cử bằng phiếu nhau mà chưa rõ ai cao tuổi hơn")
        if self.byvote:
            return _("Phải bầu cử thêm: số người trúng cử chưa đủ theo luật")
        return _("Đã xác định người trúng cử")


def _age_key(candidate):
    # Older first: an earlier birth date sorts first; unknown dates last.
    return candidate.birth_date or date.max


def unit_tally(*, unit, candidates=None, result=None, totals=None):
    """Who is elected in ``unit``, by Art. 78-80 of the Election Law.

    - the unit's election is valid only if *more than half* of its voters voted; otherwise
      it is marked for a re-run (bầu cử lại) and nobody is elected, unless the result is
      already that of a re-run;
    - a winner needs *strictly more than half* of the valid ballots ("quá nửa");
    - the highest vote counts win, up to the number of seats;
    - a tie for the last seat goes to the older candidate; if their ages cannot tell them
      apart the unit needs review and the tied seat stays open;
    - too few winners (National Assembly: fewer than the seats; councils: fewer than two
      thirds of the seats) means a by-vote (bầu cử thêm).

    ``candidates``, ``result`` and ``totals`` may be passed (prefetched) to avoid queries.
    """
    if candidates is None:
        candidates = list(unit.candidates.all())
    if result is None:
        result = getattr(unit, "result", None)
    registered = voted = None
    if result is not None:
        registered, voted = result.registered, result.voted
    if registered is None or voted is None:
        if totals is None:
            totals = area_totals(election=unit.contest.election)
        row = totals.get(unit.pk)
        if row:
            registered = registered if registered is not None else row["registered"]
            voted = voted if voted is not None else row["voted"]
    valid = result.valid_ballots if result is not None else None
    tally = Tally(
        unit=unit,
        seats=unit.seats,
        registered=registered,
        voted=voted,
        turnout=percentage(voted, registered),
        valid_ballots=valid,
    )
    ordered = sorted(
        candidates,
        key=lambda c: (-(c.votes or 0), _age_key(c), person_sort_key(c.full_name)),
    )
    for candidate in ordered:
        votes = candidate.votes or 0
        tally.rows.append(
            CandidateResult(
                candidate=candidate,
                votes=votes,
                percentage=percentage(votes, valid),
                passes_half=bool(valid) and votes * 2 > valid,
            )
        )
    # Zero valid ballots is a result (nobody can pass half of them), not a missing one.
    tally.has_result = valid is not None and (
        valid == 0 or any(c.votes is not None for c in candidates)
    )
    if not tally.has_result:
        return tally
    is_rerun = bool(result and result.is_rerun)
    if registered and voted is not None and voted * 2 <= registered and not is_rerun:
        tally.rerun = True
        return tally
    if any(row.votes > valid for row in tally.rows):
        # A candidate cannot get more votes than there are valid ballots: a typing error.
        tally.inconsistent = True
        tally.needs_review = True
        return tally

    eligible = [row for row in tally.rows if row.passes_half]
    winners = eligible[: unit.seats]
    if len(eligible) > unit.seats:
        last, first_loser = eligible[unit.seats - 1], eligible[unit.seats]
        if last.votes == first_loser.votes:
            # Every candidate tied with the last seat competes for it by age. The older wins,
            # but only if every tied birth date is known and the two at the cut differ.
            tied = [row for row in eligible if row.votes == last.votes]
            last_date = last.candidate.birth_date
            loser_date = first_loser.candidate.birth_date
            if any(row.candidate.birth_date is None for row in tied) or last_date == loser_date:
                # The law cannot decide with what was entered: leave the seats open.
                for row in tied:
                    row.tied_unresolved = True
                winners = [row for row in winners if row.votes != last.votes]
                tally.needs_review = True
    for row in winners:
        row.elected = True
    # Seats held open for a tie will be filled once ages are checked: not a by-vote.
    count = min(len(eligible), unit.seats) if tally.needs_review else len(winners)
    if unit.contest.kind == Contest.Kind.NATIONAL_ASSEMBLY:
        tally.byvote = count < unit.seats
    else:
        tally.byvote = count * 3 < unit.seats * 2
    return tally


def election_tallies(*, election):
    """Every contest of ``election`` with its units and their tallies, in a fixed 4 queries."""
    contests = list(election.contests.all())
    units = list(
        ElectoralUnit.objects.filter(contest__election=election)
        .select_related("contest", "result")
        .prefetch_related("candidates")
        .order_by("contest__order", "contest_id", "number")
    )
    totals = area_totals(election=election)
    by_contest = {contest.pk: [] for contest in contests}
    for unit in units:
        # select_related left no result attribute when the unit has none: no extra query.
        result = getattr(unit, "result", None)
        tally = unit_tally(
            unit=unit, candidates=list(unit.candidates.all()), result=result, totals=totals
        )
        by_contest.setdefault(unit.contest_id, []).append(tally)
    return [(contest, by_contest.get(contest.pk, [])) for contest in contests], totals


# --- Import of polling areas ---------------------------------------------------------------

# Column headers of the tally minutes (biên bản kết quả kiểm phiếu), folded for matching.
IMPORT_COLUMNS = [
    # (key, header, required, aliases)
    ("code", "Mã khu vực", True, ["ma khu vuc", "ma kvbp", "ma", "so khu vuc"]),
    ("name", "Tên khu vực bỏ phiếu", True, ["ten khu vuc bo phieu", "ten khu vuc", "khu vuc"]),
    ("locality", "Xã/phường, huyện", False, ["xa/phuong, huyen", "xa/phuong", "dia ban"]),
    ("unit", "Đơn vị bầu cử số", False, ["don vi bau cu so", "don vi bau cu", "dvbc"]),
    ("registered", "Tổng số cử tri", True, ["tong so cu tri", "so cu tri"]),
    ("voted", "Số cử tri đã bỏ phiếu", True, ["so cu tri da bo phieu", "da bo phieu"]),
    ("ballots_issued", "Số phiếu phát ra", False, ["so phieu phat ra"]),
    ("ballots_received", "Số phiếu thu vào", False, ["so phieu thu vao"]),
    ("valid_ballots", "Số phiếu hợp lệ", False, ["so phieu hop le"]),
    ("invalid_ballots", "Số phiếu không hợp lệ", False, ["so phieu khong hop le"]),
]
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


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)  # dicts ready to save, with "line"
    errors: list = field(default_factory=list)  # (line or None, message)
    created: int = 0
    updated: int = 0

    @property
    def is_valid(self):
        return not self.errors and bool(self.rows)


def _header_map(header):
    lookup = {}
    for key, label, _required, aliases in IMPORT_COLUMNS:
        for alias in [fold(label), *aliases]:
            lookup[alias] = key
    mapping = {}
    for index, cell in enumerate(header):
        key = lookup.get(fold(cell).strip(" :*"))
        if key and key not in mapping.values():
            mapping[index] = key
    return mapping


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls)
# Title lines, blank lines and formatting can follow the data in a sheet: stop reading after
# this many empty rows in a row instead of walking a million formatted cells.
MAX_EMPTY_RUN = 1000


def _decode_csv(content):
    """Text of a CSV file saved by Excel or a text editor in Vietnam.

    UTF-8 (with or without BOM) first; UTF-16 when it has a BOM (Excel's “Unicode Text”);
    else Windows-1258 (the old Vietnamese ANSI code page, which writes tone marks as
    combining characters: every cell is NFC-normalised later).
    """
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ValueError(_("Không đọc được tệp CSV (UTF-16).")) from exc
    if b"\x00" in content[:4096]:
        raise ValueError(_("Tệp không phải tệp CSV dạng chữ. Hãy lưu lại thành “CSV UTF-8”."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise ValueError(
            _("Không nhận ra bảng mã của tệp CSV. Trong Excel hãy lưu thành “CSV UTF-8”.")
        ) from exc


def _read_rows(*, content, filename):
    """The table of a CSV or XLSX file as lists of strings, or raise ``ValueError``."""
    name = (filename or "").lower()
    if content.startswith(OLE_MAGIC) or name.endswith(".xls"):
        raise ValueError(
            _("Tệp Excel 97-2003 (.xls) không được hỗ trợ: hãy lưu lại thành .xlsx hoặc CSV.")
        )
    # An .xlsx renamed .csv (or the other way round) is read by what it is.
    if content.startswith(ZIP_MAGIC) or (name.endswith(".xlsx") and content):
        if not name.endswith((".xlsx", ".csv")):
            raise ValueError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        return _read_xlsx(content)
    if name.endswith(".csv"):
        text = _decode_csv(content)
        # Excel saves CSV with “;” in Vietnamese locales and “Unicode Text” with tabs:
        # guess from the first lines.
        sample = text[:4000]
        delimiter = max([",", ";", "\t"], key=sample.count)
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    raise ValueError(_("Chỉ nhận tệp .csv hoặc .xlsx."))


def _read_xlsx(content):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows, filled, empty_run = [], 0, 0
        for row in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else _cell_text(v) for v in row]
            if any(cell.strip() for cell in cells):
                filled += 1
                empty_run = 0
                rows.append(cells)
            else:
                empty_run += 1
                rows.append([])
            if filled > MAX_IMPORT_ROWS + 50 or empty_run > MAX_EMPTY_RUN:
                break
        workbook.close()
    except Exception as exc:  # openpyxl raises many types on a broken file
        raise ValueError(_("Không đọc được tệp Excel (.xlsx).")) from exc
    return rows


def _cell_text(value):
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # 1.234 typed in an English Excel is a fraction, not 1234: keep it as a decimal so the
        # integer check refuses it.
        return str(value).replace(".", ",")
    return str(value)


def _parse_int(raw):
    """A non-negative integer from a cell; thousands dots or spaces allowed (``1.234``)."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if text.replace(".", "").isdigit() and (
        "." not in text or all(len(part) == 3 for part in text.split(".")[1:])
    ):
        return int(text.replace(".", ""))
    raise ValueError


def polling_areas_parse(*, election, content, filename):
    """Check an uploaded tally file row by row; nothing is written.

    The first row whose cells name the required columns is the header (the minutes usually
    have a title above the table); rows with every cell empty are skipped.
    """
    report = ImportReport()
    if len(content) > MAX_IMPORT_BYTES:
        report.errors.append((None, _("Tệp quá lớn (tối đa 5 MB).")))
        return report
    if not content.strip():
        report.errors.append((None, _("Tệp rỗng.")))
        return report
    try:
        table = _read_rows(content=content, filename=filename)
    except ValueError as exc:
        report.errors.append((None, str(exc)))
        return report
    except csv.Error:
        report.errors.append((None, _("Tệp CSV không đúng định dạng.")))
        return report

    required = {key for key, _label, req, _aliases in IMPORT_COLUMNS if req}
    header_index, mapping = None, {}
    for index, row in enumerate(table[:20]):
        candidate = _header_map(row)
        if required <= set(candidate.values()):
            header_index, mapping = index, candidate
            break
    if header_index is None:
        labels = ", ".join(f"“{label}”" for _k, label, req, _a in IMPORT_COLUMNS if req)
        report.errors.append(
            (
                None,
                _("Không tìm thấy dòng tiêu đề. Tệp cần có các cột: %(cols)s.") % {"cols": labels},
            )
        )
        return report

    units = _units_by_number(election)
    labels = {key: label for key, label, _r, _a in IMPORT_COLUMNS}
    seen_codes = {}
    data_rows = table[header_index + 1 :]
    if sum(1 for row in data_rows if any(cell.strip() for cell in row)) > MAX_IMPORT_ROWS:
        report.errors.append((None, _("Tệp có quá nhiều dòng (tối đa 20.000).")))
        return report
    for offset, row in enumerate(data_rows):
        line = header_index + 2 + offset
        cells = {key: nfc(row[i]).strip() if i < len(row) else "" for i, key in mapping.items()}
        if not any(cells.values()):
            continue
        errors = []
        values = {"line": line}
        for key, value in cells.items():
            if key in INTEGER_COLUMNS:
                try:
                    values[key] = _parse_int(value)
                except ValueError:
                    errors.append(
                        _("cột “%(col)s”: “%(value)s” không phải số nguyên không âm")
                        % {"col": labels[key], "value": value[:40]}
                    )
                    values[key] = None
            else:
                values[key] = value
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
        registered, voted = values.get("registered"), values.get("voted")
        if registered is not None and voted is not None and voted > registered:
            errors.append(
                _("số cử tri đã bỏ phiếu (%(voted)s) lớn hơn tổng số cử tri (%(registered)s)")
                % {"voted": voted, "registered": registered}
            )
        valid, invalid = values.get("valid_ballots"), values.get("invalid_ballots")
        received, issued = values.get("ballots_received"), values.get("ballots_issued")
        if None not in (valid, invalid, received) and valid + invalid != received:
            errors.append(
                _("phiếu hợp lệ + không hợp lệ (%(sum)s) khác số phiếu thu vào (%(received)s)")
                % {"sum": valid + invalid, "received": received}
            )
        if None not in (received, issued) and received > issued:
            errors.append(_("số phiếu thu vào lớn hơn số phiếu phát ra"))
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


# --- Open data -----------------------------------------------------------------------------

RESULT_COLUMNS = [
    "loai_bau_cu",
    "khoa_nhiem_ky",
    "don_vi_bau_cu",
    "so_dai_bieu_duoc_bau",
    "ho_va_ten",
    "so_phieu",
    "ty_le_phieu_hop_le",
    "trung_cu",
    "so_phieu_hop_le",
    "tong_so_cu_tri",
    "so_cu_tri_da_bo_phieu",
    "tinh_trang",
]
TURNOUT_COLUMNS = [
    "ma_khu_vuc",
    "ten_khu_vuc",
    "xa_phuong_huyen",
    "don_vi_bau_cu",
    "tong_so_cu_tri",
    "so_cu_tri_da_bo_phieu",
    "ty_le",
]


def _num(value):
    return None if value is None else float(value)


def results_rows(*, contests):
    """One dict per candidate of every tallied unit (from :func:`election_tallies`)."""
    for contest, tallies in contests:
        for tally in tallies:
            for row in tally.rows:
                yield {
                    "loai_bau_cu": contest.get_kind_display(),
                    "khoa_nhiem_ky": contest.term,
                    "don_vi_bau_cu": tally.unit.number,
                    "so_dai_bieu_duoc_bau": tally.seats,
                    "ho_va_ten": row.candidate.full_name,
                    "so_phieu": row.candidate.votes,
                    "ty_le_phieu_hop_le": _num(row.percentage),
                    "trung_cu": row.elected,
                    "so_phieu_hop_le": tally.valid_ballots,
                    "tong_so_cu_tri": tally.registered,
                    "so_cu_tri_da_bo_phieu": tally.voted,
                    "tinh_trang": str(tally.status),
                }


def turnout_rows(*, areas):
    for area in areas:
        yield {
            "ma_khu_vuc": area.code,
            "ten_khu_vuc": area.name,
            "xa_phuong_huyen": area.locality,
            "don_vi_bau_cu": area.unit.number if area.unit_id else None,
            "tong_so_cu_tri": area.registered,
            "so_cu_tri_da_bo_phieu": area.voted,
            "ty_le": _num(percentage(area.voted, area.registered)),
        }


def turnout_dict(turnout):
    if turnout is None:
        return None
    return {
        "nguon": turnout.source,
        "ghi_chu_nguon": turnout.source_note,
        "tong_so_cu_tri": turnout.registered,
        "so_cu_tri_da_bo_phieu": turnout.voted,
        "ty_le": _num(turnout.percentage),
        "tong_so_khu_vuc": turnout.areas_total,
        "so_khu_vuc_dat_100": turnout.areas_full,
    }


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Cells starting with a formula character are prefixed so Excel shows them as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
