"""The one cell-safety rule of every CSV and XLSX writer."""

import datetime
from decimal import Decimal

import pytest

from portal.spreadsheets import csv_cell, csv_row, xlsx_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        (" =1+1", "' =1+1"),
        ("\n=1+1", "'\n=1+1"),
        ("\u00a0@SUM(A1)", "'\u00a0@SUM(A1)"),
        ("-3", "'-3"),
        ("+84 912", "'+84 912"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Hà Nam", "Hà Nam"),
        ("a=1", "a=1"),
        (-3, "-3"),
        (None, ""),
        (True, "1"),
        (Decimal("50.00"), "50.00"),
        (datetime.date(2021, 6, 25), "2021-06-25"),
    ],
)
def test_csv_cells_are_formula_safe(value, expected):
    assert csv_cell(value) == expected
    assert csv_row([value, "", "Lê Thị Thủy", value]) == [expected, "", "Lê Thị Thủy", expected]


def test_xlsx_text_drops_control_characters_and_is_cut_to_excels_limit():
    assert xlsx_text("a\x01b\x1fc") == "abc"
    assert len(xlsx_text("x" * 40000)) == 32767
    assert xlsx_text(5) == 5
