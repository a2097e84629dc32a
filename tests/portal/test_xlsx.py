"""The streaming XLSX writer (portal/xlsx.py), read back with openpyxl."""

import datetime
import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from portal.xlsx import BOLD, TITLE, Cell, StreamingSheet


def _write(rows, **options):
    out = io.BytesIO()
    sheet = StreamingSheet(out, title=options.pop("title", "Khen thưởng"), **options)
    for row in rows:
        sheet.append(row)
    sheet.close(auto_filter=options.get("auto_filter"))
    out.seek(0)
    return out


def test_values_styles_and_layout_read_back():
    rows = [
        [Cell('DANH SÁCH <KHEN> & "THƯỞNG"', TITLE)],
        [],
        [Cell("STT", BOLD), Cell("Họ và tên", BOLD), Cell("Ngày", BOLD), Cell("Tỷ lệ", BOLD)],
        [1, "Đinh Thị Lụa", datetime.date(2021, 6, 25), Decimal("99.47")],
        [2, '=HYPERLINK("http://x")', datetime.datetime(2021, 5, 23, 7, 0), 0.5],
        [3, "a\x01b", None, True],
        [None, None, Cell("Tổng cộng", BOLD), Cell(3, BOLD)],
    ]
    out = io.BytesIO()
    sheet = StreamingSheet(out, title='Khen "thưởng" & <danh sách>', widths=[6, 32, 14, 8],
                           freeze="C4")  # fmt: skip
    for row in rows:
        sheet.append(row)
    sheet.close(auto_filter="A3:D6")
    book = load_workbook(io.BytesIO(out.getvalue()))
    ws = book.active
    assert ws.title == 'Khen "thưởng" & <danh sách>'
    assert ws["A1"].value == 'DANH SÁCH <KHEN> & "THƯỞNG"'
    assert ws["A1"].font.b and ws["A1"].font.sz == 14
    assert ws["B3"].font.b and not ws["B4"].font.b
    assert [c.value for c in ws[4]] == [1, "Đinh Thị Lụa", datetime.datetime(2021, 6, 25), 99.47]
    assert ws["C4"].number_format == "DD/MM/YYYY" and ws["C4"].is_date
    assert ws["C5"].value == datetime.datetime(2021, 5, 23)
    formula = ws["B5"]
    assert formula.value == '=HYPERLINK("http://x")' and formula.data_type == "s"
    assert ws["B6"].value == "ab"  # control characters removed
    assert ws["C6"].value is None and ws["D6"].value is True
    assert ws["C7"].value == "Tổng cộng" and ws["D7"].value == 3 and ws["D7"].font.b
    assert ws.freeze_panes == "C4"
    assert ws.column_dimensions["B"].width == 32
    assert ws.auto_filter.ref == "A3:D6"
    assert ws.max_row == 7


def test_a_huge_cell_is_cut_to_excels_limit_and_rows_stream():
    out = _write([["x" * 40_000], *([i, f"dòng {i}"] for i in range(2_000))])
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        names = set(archive.namelist())
    assert {"[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml"} <= names
    ws = load_workbook(out, read_only=True).active
    values = list(ws.iter_rows(values_only=True))
    assert len(values[0][0]) == 32767
    assert values[-1] == (1999, "dòng 1999")
