"""The CSV export: streamed, UTF-8 with a BOM (Excel shows Vietnamese), CRLF lines, every
cell through the portal's one cell-safety rule."""

import csv
import hashlib

from awards.exports.columns import HEADERS
from awards.exports.log import export_log_finish
from awards.exports.selection import Stats, export_rows
from portal.spreadsheets import csv_row

BOM = "\ufeff"
CSV_CHUNK_ROWS = 500


class _Line:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)


def csv_chunks(*, rows, stats=None):
    """Yield the CSV file as UTF-8 byte chunks: BOM, header, then rows (``\\r\\n`` lines)."""
    buffer = _Line()
    writer = csv.writer(buffer)
    buffer.parts.append(BOM)
    writer.writerow([str(h) for h in HEADERS])
    for row in rows:
        if stats is not None:
            stats.add(row[-1])
        writer.writerow(csv_row(row[:-1]))
        if len(buffer.parts) >= CSV_CHUNK_ROWS:
            yield "".join(buffer.parts).encode("utf-8")
            buffer.parts.clear()
    if buffer.parts:
        yield "".join(buffer.parts).encode("utf-8")


def csv_export_stream(*, filters, log=None, queryset=None):
    """The CSV as byte chunks; when the last chunk is out, the log gets the count and hash."""
    stats = Stats()
    sha = hashlib.sha256()
    for chunk in csv_chunks(rows=export_rows(filters=filters, queryset=queryset), stats=stats):
        sha.update(chunk)
        yield chunk
    if log is not None:
        export_log_finish(log=log, row_count=stats.rows, sha256=sha.hexdigest())
