"""The one cell-safety rule for every CSV and XLSX file the portal writes.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab
or a carriage return) as a formula, also after leading spaces or line breaks: LibreOffice's
"trim spaces" import option and Google Sheets evaluate `` =1+1``. Such CSV cells get a leading
apostrophe (the OWASP rule, as pretix does). XLSX text is written as a string cell, never as a
formula, without the control characters Excel refuses and cut to Excel's cell limit.
"""

import datetime
import re

from django.db.models import Case, TextField, Value, When
from django.db.models.functions import Cast, Concat, NullIf
from django.db.models.lookups import Regex

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Whitespace a spreadsheet may trim before it looks for a formula.
_LEADING_BLANKS = " \t\r\n\u00a0\u3000"
_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
XLSX_CELL_MAX = 32767  # Excel refuses to open a file with a longer cell


# A text whose first character is none of these cannot look like a formula: the fast path
# for almost every cell of a 100,000-row export.
_SUSPECT_FIRST = frozenset(FORMULA_TRIGGERS) | frozenset(_LEADING_BLANKS)


def looks_like_formula(text):
    if not text or text[0] not in _SUSPECT_FIRST:
        return False
    return text.startswith(FORMULA_TRIGGERS) or text.lstrip(_LEADING_BLANKS).startswith(
        FORMULA_TRIGGERS
    )


def safe_text(value):
    """``value`` with a leading apostrophe when a spreadsheet would run it as a formula."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def csv_cell(value):
    """The text of one CSV cell: empty for ``None``, ``1``/``0`` for booleans, ISO dates,
    decimals as they are (percentages are already fixed at two places), text made safe."""
    if type(value) is str:  # most cells: checked first
        return "'" + value if looks_like_formula(value) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return safe_text(value)
    return str(value)


def csv_row(values):
    """``csv_cell`` of each value; text that cannot look like a formula (nearly every cell),
    empty cells and whole numbers are done here, without a call per cell."""
    return [
        value
        if type(value) is str and (not value or value[0] not in _SUSPECT_FIRST)
        else ""
        if value is None
        else str(value)
        if type(value) is int
        else csv_cell(value)
        for value in values
    ]


# The same rule for cells a database writes (an export's CSV is written by PostgreSQL's COPY):
# a trigger first, or one of ``= + - @`` after leading blanks (a tab or carriage return is a
# blank there too, so it cannot follow them). The characters are literal, so the pattern reads
# the same in Python's ``re``, PostgreSQL and SQLite; a test holds it to ``looks_like_formula``.
FORMULA_PATTERN = "^(?:[=+@\t\r-]|[ \t\r\n\u00a0\u3000]*[=+@-])"


def csv_text_expression(expression):
    """A text column as the database writes it into a CSV cell: an apostrophe in front of
    what a spreadsheet would run (``looks_like_formula``), and NULL for empty text, so that
    PostgreSQL's COPY writes an empty cell as ``csv.writer`` does (not ``""``)."""
    text = NullIf(expression, Value(""), output_field=TextField())
    return Case(
        When(Regex(text, FORMULA_PATTERN), then=Concat(Value("'"), text, output_field=TextField())),
        default=text,
        output_field=TextField(),
    )


class IsoDate(Cast):
    """A date as ISO text (``2021-06-25``) whatever the database's date style."""

    def __init__(self, expression):
        super().__init__(expression, TextField())

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_char({sql}, 'YYYY-MM-DD')", params


def xlsx_text(value):
    """Text for an XLSX cell: without illegal control characters, within Excel's limit.

    The writer must still mark the cell as a string (``data_type = "s"``): openpyxl writes
    any text starting with ``=`` as a formula.
    """
    if isinstance(value, str) and (len(value) > XLSX_CELL_MAX or _XLSX_ILLEGAL.search(value)):
        return _XLSX_ILLEGAL.sub("", value)[:XLSX_CELL_MAX]
    return value
