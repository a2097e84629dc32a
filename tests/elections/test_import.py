"""Import of polling areas in the layout of the tally minutes: all or nothing."""

import io
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from elections import services
from elections.models import Contest, PollingArea
from elections.services import imports
from portal.numbers import parse_count
from tests import factories as h
from tests.samples import POLLING_AREA_HEADER, POLLING_AREA_ROWS, polling_area_csv

pytestmark = pytest.mark.django_db


def xlsx_bytes(rows, header=POLLING_AREA_HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["BIÊN BẢN KẾT QUẢ KIỂM PHIẾU"])
    sheet.append(header)
    for row in rows:
        sheet.append([int(c.replace(".", "")) if c.replace(".", "").isdigit() else c for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def election():
    election = h.election()
    na = h.contest(election, kind=Contest.Kind.NATIONAL_ASSEMBLY, term="khóa XV")
    h.unit(na, number=1)
    h.unit(h.contest(election), number=1)  # same number in the council contest
    return election


@pytest.mark.parametrize("fmt", ["csv", "csv-semicolon", "xlsx"])
def test_good_file_is_previewed_then_imported(election, fmt):
    if fmt == "xlsx":
        content, name = xlsx_bytes(POLLING_AREA_ROWS), "bien-ban.xlsx"
    else:
        content = polling_area_csv(
            POLLING_AREA_ROWS, delimiter=";" if fmt == "csv-semicolon" else ","
        )
        name = "bien-ban.csv"
    report = services.polling_areas_parse(election=election, content=content, filename=name)
    assert report.errors == []
    assert [row["code"] for row in report.rows] == ["KV01", "KV02", "KV03"]
    assert PollingArea.objects.count() == 0  # parsing writes nothing

    result = services.polling_areas_import(election=election, rows=report.rows)
    assert (result.created, result.updated) == (3, 0)
    first = PollingArea.objects.get(code="KV01")
    assert (first.registered, first.voted, first.valid_ballots) == (1234, 1234, 1200)
    assert first.unit.contest.kind == Contest.Kind.NATIONAL_ASSEMBLY
    assert first.locality == "Xã Đồng Văn, huyện Duy Tiên"
    assert PollingArea.objects.get(code="KV03").unit is None
    assert first.history.count() == 1

    turnout = services.election_turnout(election=election)
    assert (turnout.registered, turnout.voted, turnout.areas_full) == (4214, 4199, 1)

    again = services.polling_areas_import(election=election, rows=report.rows)
    assert (again.created, again.updated) == (0, 0)  # nothing changed: nothing written
    assert first.history.count() == 1
    assert PollingArea.objects.count() == 3


def test_bad_file_gives_row_by_row_errors_and_writes_nothing(election):
    rows = [
        POLLING_AREA_ROWS[0],
        ["2", "KV02", "Khu vực 2", "", "1", "900", "950", "", "", "", ""],
        ["3", "KV01", "Trùng mã", "", "", "100", "90", "", "", "", ""],
        ["4", "KV04", "", "", "9", "abc", "10", "", "", "", ""],
        ["5", "KV05", "Khu vực 5", "", "", "100", "90", "90", "90", "80", "5"],
    ]
    content = polling_area_csv(rows)
    report = services.polling_areas_parse(election=election, content=content, filename="x.csv")
    assert not report.is_valid
    by_line = dict(report.errors)
    assert sorted(by_line) == [5, 6, 7, 8]
    assert "lớn hơn tổng số cử tri" in by_line[5]
    assert "trùng với dòng 4" in by_line[6]
    assert "thiếu “Tên khu vực bỏ phiếu”" in by_line[7]
    assert "“abc” không phải số nguyên" in by_line[7]
    assert "không có đơn vị bầu cử số 9" in by_line[7]
    assert "phải bằng số phiếu thu vào" in by_line[8]
    assert PollingArea.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"a,b\n1,2\n", "x.csv", "Không tìm thấy dòng tiêu đề"),
        ("Mã khu vực".encode("utf-16"), "x.csv", "Không tìm thấy dòng tiêu đề"),
        (b"not a zip", "x.xlsx", "Không đọc được tệp Excel"),
        (b"PK\x03\x04broken zip", "x.csv", "Không đọc được tệp Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "x.xls", "97-2003"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.csv", "không phải tệp CSV"),
        (b"\x81\x8d\x8f\x90\x9d", "x.csv", "bảng mã"),
        (b"", "x.csv", "Tệp rỗng"),
        (b" \r\n", "x.xlsx", "Tệp rỗng"),
        (b"x", "x.pdf", "Chỉ nhận tệp .csv hoặc .xlsx"),
        (b"x", "", "Chỉ nhận tệp .csv hoặc .xlsx"),
        (polling_area_csv([]), "x.csv", "không có dòng số liệu"),
    ],
)
def test_unreadable_files_are_explained(election, content, name, message):
    report = services.polling_areas_parse(election=election, content=content, filename=name)
    assert not report.is_valid
    assert any(message in text for _line, text in report.errors), report.errors


def to_cp1258(text):
    """Text as Windows-1258 writes it: ă â ê ô ơ ư precomposed, tone marks combining."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tones = [m for m in decomposed if m in "\u0300\u0301\u0303\u0309\u0323"]
            base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in tones))
            out += base.encode("cp1258") + "".join(tones).encode("cp1258")
    return out


def text_csv(rows, header=POLLING_AREA_HEADER, delimiter=","):
    buffer = io.StringIO()
    import csv

    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("utf-8"), id="utf-8-no-bom"),
        pytest.param(lambda text: text.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(
            lambda text: unicodedata.normalize("NFD", text).encode("utf-8"), id="utf-8-nfd"
        ),
        # Windows-1258 writes tone marks as combining characters.
        pytest.param(lambda text: to_cp1258(text), id="windows-1258"),
        pytest.param(lambda text: text.encode("utf-16"), id="utf-16"),
    ],
)
def test_encodings_all_give_the_same_nfc_text(election, encode):
    delimiter = "\t" if encode("x").startswith(b"\xff\xfe") else ","
    content = encode(text_csv(POLLING_AREA_ROWS, delimiter=delimiter))
    report = services.polling_areas_parse(election=election, content=content, filename="x.csv")
    assert report.errors == []
    first = report.rows[0]
    assert first["locality"] == "Xã Đồng Văn, huyện Duy Tiên"
    assert unicodedata.is_normalized("NFC", first["name"])
    assert first["registered"] == 1234


def test_old_mac_line_endings_are_read(election):
    content = text_csv(POLLING_AREA_ROWS).replace("\r\n", "\r").encode()
    report = services.polling_areas_parse(election=election, content=content, filename="x.csv")
    assert report.errors == []
    assert len(report.rows) == 3


def test_an_xlsx_renamed_csv_is_read_as_excel(election):
    report = services.polling_areas_parse(
        election=election, content=xlsx_bytes(POLLING_AREA_ROWS), filename="bien-ban.csv"
    )
    assert report.errors == []
    assert len(report.rows) == 3


def test_a_fraction_in_excel_is_not_read_as_thousands(election):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(POLLING_AREA_HEADER)
    sheet.append([1, "KV01", "Khu vực 1", "", None, 1.234, 1, None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = services.polling_areas_parse(
        election=election, content=buffer.getvalue(), filename="x.xlsx"
    )
    assert not report.is_valid
    assert "không phải số nguyên" in report.errors[0][1]


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1.234", 1234), ("642.235", 642235), ("1 234", 1234), ("1\u00a0234", 1234), ("07", 7)],
)
def test_vietnamese_grouped_numbers(raw, value):
    assert parse_count(raw) == value


@pytest.mark.parametrize("raw", ["1.23", "1,234", "-5", "12.3456", "1e3", "99,47"])
def test_numbers_that_are_not_counts_are_refused(raw):
    with pytest.raises(ValidationError):
        parse_count(raw)


def test_codes_match_existing_areas_ignoring_case(election):
    area = h.area(election, "KV01", 100, 50, name="Tên cũ")
    rows = [["1", "kv01", "Tên mới", "", "", "200", "150", "", "", "", ""]]
    report = services.polling_areas_parse(
        election=election, content=polling_area_csv(rows), filename="x.csv"
    )
    assert report.errors == []
    assert (report.created, report.updated) == (0, 1)
    services.polling_areas_import(election=election, rows=report.rows)
    area.refresh_from_db()
    assert (area.code, area.name, area.registered) == ("KV01", "Tên mới", 200)
    assert PollingArea.objects.count() == 1


def test_duplicate_codes_in_the_file_ignore_case_and_accents(election):
    rows = [
        ["1", "KV-Đồng", "Khu vực 1", "", "", "100", "90", "", "", "", ""],
        ["2", "kv-dong", "Khu vực 2", "", "", "100", "90", "", "", "", ""],
    ]
    report = services.polling_areas_parse(
        election=election, content=polling_area_csv(rows), filename="x.csv"
    )
    assert [line for line, _msg in report.errors] == [5]
    assert "trùng với dòng 4" in report.errors[0][1]


def test_import_keeps_history_with_the_user_and_skips_unchanged_areas(election, make_user):
    user = make_user("nhap-lieu")
    report = services.polling_areas_parse(
        election=election, content=polling_area_csv(POLLING_AREA_ROWS), filename="x.csv"
    )
    services.polling_areas_import(election=election, rows=report.rows, user=user)
    assert PollingArea.history.filter(history_user=user, history_type="+").count() == 3
    again = services.polling_areas_import(election=election, rows=report.rows, user=user)
    assert (again.created, again.updated) == (0, 0)
    assert PollingArea.history.count() == 3
    report.rows[0]["registered"] = 1300
    changed = services.polling_areas_import(election=election, rows=report.rows, user=user)
    assert changed.updated == 1
    latest = PollingArea.history.filter(history_type="~").get()
    assert (latest.code, latest.registered, latest.history_user) == ("KV01", 1300, user)


def test_import_refuses_rows_whose_unit_was_deleted(election):
    from django.core.exceptions import ValidationError

    report = services.polling_areas_parse(
        election=election, content=polling_area_csv(POLLING_AREA_ROWS), filename="x.csv"
    )
    election.contests.all().delete()
    with pytest.raises(ValidationError):
        services.polling_areas_import(election=election, rows=report.rows)
    assert PollingArea.objects.count() == 0


def test_too_many_rows_or_bytes_are_refused_before_reading(election, monkeypatch):
    monkeypatch.setattr(imports, "MAX_IMPORT_ROWS", 2)
    report = services.polling_areas_parse(
        election=election, content=polling_area_csv(POLLING_AREA_ROWS), filename="x.csv"
    )
    assert "quá nhiều dòng" in report.errors[0][1]
    monkeypatch.setattr(imports, "MAX_IMPORT_BYTES", 10)
    report = services.polling_areas_parse(
        election=election, content=polling_area_csv(POLLING_AREA_ROWS), filename="x.csv"
    )
    assert "quá lớn" in report.errors[0][1]


def test_a_large_file_is_imported_in_a_few_queries(election, django_assert_max_num_queries):
    rows = [
        [str(i), f"KV{i:05d}", f"Khu vực {i}", "Xã Đồng Văn", "1", "1.234", "1.200"] + [""] * 4
        for i in range(3000)
    ]
    report = services.polling_areas_parse(
        election=election, content=polling_area_csv(rows), filename="x.csv"
    )
    assert report.errors == []
    # Batches, not a save (and six constraint checks) per row: SQLite caps a batch near 70 rows.
    with django_assert_max_num_queries(150):
        services.polling_areas_import(election=election, rows=report.rows)
    assert PollingArea.objects.count() == 3000


def test_ballots_received_above_voters_are_refused_by_import_and_database(election):
    """One rule in three places: the model's clean(), the import and a database constraint."""
    from django.db import IntegrityError, transaction

    rows = [["1", "KV01", "Khu vực 1", "", "", "1000", "900", "950", "950", "940", "10"]]
    report = services.polling_areas_parse(
        election=election, content=polling_area_csv(rows), filename="x.csv"
    )
    assert not report.is_valid
    assert "Số phiếu thu vào không được lớn hơn số cử tri đã bỏ phiếu" in report.errors[0][1]
    with pytest.raises(IntegrityError), transaction.atomic():
        PollingArea.objects.create(
            election=election, code="KV01", name="x", registered=1000, voted=900,
            ballots_issued=950, ballots_received=950,
        )  # fmt: skip
    assert PollingArea.objects.count() == 0
