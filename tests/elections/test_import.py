"""Import of polling areas in the layout of the tally minutes: all or nothing."""

import io

import pytest
from openpyxl import Workbook

from elections import services
from elections.models import Contest, PollingArea
from tests.elections import helpers as h

pytestmark = pytest.mark.django_db

HEADER = [
    "STT",
    "Mã khu vực",
    "Tên khu vực bỏ phiếu",
    "Xã/phường, huyện",
    "Đơn vị bầu cử số",
    "Tổng số cử tri",
    "Số cử tri đã bỏ phiếu",
    "Số phiếu phát ra",
    "Số phiếu thu vào",
    "Số phiếu hợp lệ",
    "Số phiếu không hợp lệ",
]
GOOD_ROWS = [
    ["1", "KV01", "Khu vực bỏ phiếu số 1", "Xã Đồng Văn, huyện Duy Tiên", "1", "1.234", "1.234",
     "1234", "1234", "1200", "34"],
    ["2", "KV02", "Khu vực bỏ phiếu số 2", "Xã Đồng Văn, huyện Duy Tiên", "1", "980", "975",
     "975", "975", "960", "15"],
    ["", "", "", "", "", "", "", "", "", "", ""],
    ["3", "KV03", "Khu vực bỏ phiếu số 3", "Phường Lê Hồng Phong", "", "2000", "1990",
     "", "", "", ""],
]  # fmt: skip


def csv_bytes(rows, header=HEADER, delimiter=","):
    buffer = io.StringIO()
    import csv

    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["BIÊN BẢN KẾT QUẢ KIỂM PHIẾU (tổng hợp)"])
    writer.writerow([])
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows, header=HEADER):
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
        content, name = xlsx_bytes(GOOD_ROWS), "bien-ban.xlsx"
    else:
        content = csv_bytes(GOOD_ROWS, delimiter=";" if fmt == "csv-semicolon" else ",")
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
    assert (again.created, again.updated) == (0, 3)
    assert PollingArea.objects.count() == 3


def test_bad_file_gives_row_by_row_errors_and_writes_nothing(election):
    rows = [
        GOOD_ROWS[0],
        ["2", "KV02", "Khu vực 2", "", "1", "900", "950", "", "", "", ""],
        ["3", "KV01", "Trùng mã", "", "", "100", "90", "", "", "", ""],
        ["4", "KV04", "", "", "9", "abc", "10", "", "", "", ""],
        ["5", "KV05", "Khu vực 5", "", "", "100", "90", "90", "90", "80", "5"],
    ]
    content = csv_bytes(rows)
    report = services.polling_areas_parse(election=election, content=content, filename="x.csv")
    assert not report.is_valid
    by_line = dict(report.errors)
    assert sorted(by_line) == [5, 6, 7, 8]
    assert "lớn hơn tổng số cử tri" in by_line[5]
    assert "trùng với dòng 4" in by_line[6]
    assert "thiếu “Tên khu vực bỏ phiếu”" in by_line[7]
    assert "“abc” không phải số nguyên" in by_line[7]
    assert "không có đơn vị bầu cử số 9" in by_line[7]
    assert "khác số phiếu thu vào" in by_line[8]
    assert PollingArea.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"a,b\n1,2\n", "x.csv", "Không tìm thấy dòng tiêu đề"),
        ("Mã khu vực".encode("utf-16"), "x.csv", "UTF-8"),
        (b"not a zip", "x.xlsx", "Không đọc được tệp Excel"),
        (b"x", "x.pdf", "Chỉ nhận tệp .csv hoặc .xlsx"),
        (csv_bytes([]), "x.csv", "không có dòng số liệu"),
    ],
)
def test_unreadable_files_are_explained(election, content, name, message):
    report = services.polling_areas_parse(election=election, content=content, filename=name)
    assert not report.is_valid
    assert any(message in text for _line, text in report.errors), report.errors
