"""The one cell-safety rule of every CSV and XLSX writer."""

import datetime
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.spreadsheets import (
    FORMULA_PATTERN,
    csv_cell,
    csv_row,
    csv_text_expression,
    looks_like_formula,
    xlsx_text,
)


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


# Characters that decide the rule (triggers, blanks) and ordinary text around them.
_CELL_TEXT = st.text(
    alphabet="=+-@\t\r\n \u00a0\u3000\"',;aĐă1", min_size=0, max_size=6
)  # fmt: skip
_BLANKS = [" ", "\t", "\r", "\n", "\u00a0", "\u3000"]
_KNOWN_CELLS = ["a=1", "", " ", "'=1", '"=1', "\t", "\r", "x-1"] + [
    f"{first}{second}{trigger}1"
    for first in ["", *_BLANKS]
    for second in ["", *_BLANKS]
    for trigger in ["=", "+", "-", "@", "\t", "\r", "a"]
]


def _cells_as_the_database_writes_them(texts):
    from django.db.models import F

    from awards.models import Recipient
    from tests.factories import make_decision

    decision = make_decision()
    Recipient.objects.bulk_create(
        Recipient(decision=decision, kind="individual", name="x", unit=text, order=i)
        for i, text in enumerate(texts)
    )
    rows = Recipient.objects.filter(decision=decision).order_by("order")
    return list(rows.values_list("unit", csv_text_expression(F("unit"))))


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_CELL_TEXT, min_size=1, max_size=25))
def test_the_database_applies_the_same_rule_as_python(texts):
    """The rule as a database expression (an export's CSV written by PostgreSQL's COPY) marks
    exactly the cells ``looks_like_formula`` marks, and writes empty text as an empty cell."""
    from django.db import transaction

    with transaction.atomic():
        for stored, written in _cells_as_the_database_writes_them(_KNOWN_CELLS + texts):
            assert (written or "") == csv_cell(stored), repr(stored)
            assert bool(re.match(FORMULA_PATTERN, stored)) == looks_like_formula(stored)
        transaction.set_rollback(True)
