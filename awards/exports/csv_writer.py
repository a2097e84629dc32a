"""The CSV export: UTF-8 with a BOM (Excel shows Vietnamese), CRLF lines, every cell through
the portal's one cell-safety rule.

On PostgreSQL the database writes the rows itself (``COPY ... TO STDOUT WITH CSV``) from the
same cell expressions the XLSX reads (:func:`~awards.exports.selection.export_cells`), with the
rule as a database expression: a 100,000-row file then costs about what the COPY costs, where
reading the rows into Python and writing them again took five times as long. Elsewhere the rows
are read and written by Python; both give the same bytes (tested).
"""

import csv
import hashlib
import tempfile

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, IntegerField, Value, When

from awards.exports.columns import DATE_COLUMNS, HEADERS, KEYS
from awards.exports.log import export_log_finish
from awards.exports.selection import Stats, export_cells, export_rows, recipients_filter
from awards.models import Recipient
from portal.spreadsheets import IsoDate, csv_row, csv_text_expression

BOM = "\ufeff"
CSV_CHUNK_ROWS = 500
READ_CHUNK_BYTES = 256 * 1024
SPOOL_BYTES = 4 * 1024 * 1024  # a larger file waits on disk, not in memory
# Cells COPY writes as they are: numbers (the text cells and dates are converted below).
_NUMBER_KEYS = {"order", "year"}
_KIND_VALUES = [value for value, _label in Recipient.Kind.choices]


class _Line:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)


def _header():
    buffer = _Line()
    csv.writer(buffer).writerow([str(h) for h in HEADERS])
    return (BOM + "".join(buffer.parts)).encode("utf-8")


def _row_chunks(rows, stats):
    """The rows read by Python, as UTF-8 byte chunks of ``\\r\\n`` lines."""
    buffer = _Line()
    writer = csv.writer(buffer)
    for row in rows:
        stats.add(row[-1])
        writer.writerow(csv_row(row[:-1]))
        if len(buffer.parts) >= CSV_CHUNK_ROWS:
            yield "".join(buffer.parts).encode("utf-8")
            buffer.parts.clear()
    if buffer.parts:
        yield "".join(buffer.parts).encode("utf-8")


def _copy_sql(filters, queryset):
    """``COPY`` of the export's rows as CSV cells: the kind's index among the choices and
    ``t``/``f`` for an award first (they feed the totals and are not written; never quoted),
    then every column after the STT."""
    cells, (_kind, award) = export_cells()
    columns = []
    for index, (key, cell) in enumerate(zip(KEYS[1:], cells, strict=True), start=1):
        if index in DATE_COLUMNS:
            columns.append(IsoDate(cell))
        elif key in _NUMBER_KEYS:
            columns.append(cell)
        else:
            columns.append(csv_text_expression(cell))
    kinds = [When(kind=value, then=Value(i)) for i, value in enumerate(_KIND_VALUES)]
    kind_index = Case(*kinds, default=Value(-1), output_field=IntegerField())
    qs = recipients_filter(filters=filters, queryset=queryset).values_list(
        kind_index, award, *columns
    )
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (a decision not found)
        return None
    with connection.cursor() as cursor:
        query = cursor.mogrify(sql, params).decode()
    return f"COPY ({query}) TO STDOUT WITH (FORMAT csv)"


class _CopyRows:
    """Receives COPY's output, one row per call (the protocol sends one message per row):
    takes off the two leading marker cells, puts the STT in front and ends the line with CRLF,
    as ``csv.writer`` does. Markers are tallied here and handed to the caller's counter once
    COPY is over: the connection is busy until then (a background export's progress is saved
    through it)."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.parts = []
        self.n = 0
        self.markers = {}

    def write(self, data):
        kind, award, rest = data.split(b",", 2)
        self.n += 1
        self.markers[kind, award] = self.markers.get((kind, award), 0) + 1
        self.parts.append(b"%d,%s\r\n" % (self.n, rest[:-1]))
        if len(self.parts) >= CSV_CHUNK_ROWS:
            self.flush()

    def flush(self):
        self.fileobj.write(b"".join(self.parts))
        self.parts.clear()

    def count(self, stats):
        # A kind outside the choices (neither the admin nor the imports write one) is counted
        # under None: the file and the row count are the same, only that tally's key differs.
        for (kind, award), rows in self.markers.items():
            index = int(kind)
            marker = (_KIND_VALUES[index] if index >= 0 else None, award == b"t")
            for _ in range(rows):
                stats.add(marker)


def csv_write(*, filters, fileobj, stats, queryset=None):
    """Write the whole CSV file to the binary ``fileobj``; ``stats`` counts the rows."""
    fileobj.write(_header())
    if connection.vendor != "postgresql":
        for chunk in _row_chunks(export_rows(filters=filters, queryset=queryset), stats):
            fileobj.write(chunk)
        return
    copy = _copy_sql(filters, queryset)
    if copy is None:
        return
    sink = _CopyRows(fileobj)
    with connection.cursor() as cursor:
        cursor.copy_expert(copy, sink)
    sink.flush()
    sink.count(stats)


def csv_export_stream(*, filters, log=None, queryset=None):
    """The CSV as byte chunks; when the last chunk is out, the log gets the count and hash.

    The file is written first (to memory, or to disk past a few megabytes), then streamed."""
    stats = Stats()
    sha = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as tmp:
        csv_write(filters=filters, fileobj=tmp, stats=stats, queryset=queryset)
        tmp.seek(0)
        while chunk := tmp.read(READ_CHUNK_BYTES):
            sha.update(chunk)
            yield chunk
    if log is not None:
        export_log_finish(log=log, row_count=stats.rows, sha256=sha.hexdigest())
