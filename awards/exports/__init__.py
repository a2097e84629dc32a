"""Recipient exports, one module per job: ``filters`` (what to export, as a form),
``selection`` (which rows, in which order, and their cells), ``columns`` (the one list of
columns), ``csv_writer`` and ``xlsx_writer``, and ``log`` (the export log).

Both formats read the rows with one query of the same cell expressions (``export_cells``),
so memory stays flat whatever the number of rows; cells go through the portal's one
cell-safety rule (:mod:`portal.spreadsheets`). On PostgreSQL the CSV is written by ``COPY``.
Callers may import from here or from the module itself.
"""

from awards.exports.columns import COLUMNS, DATE_COLUMNS, HEADERS
from awards.exports.csv_writer import BOM, csv_export_stream, csv_write
from awards.exports.filters import (
    ORDER_DECISION,
    ORDER_NAME,
    ORDERS,
    ExportFilterForm,
    ExportFilters,
    clean_param,
    decision_search_q,
    decision_year_q,
    filters_parse,
    is_slug,
    parse_year,
    recipient_search_q,
)
from awards.exports.log import export_log_finish, export_log_start, file_name_for, file_sha256
from awards.exports.selection import Stats, export_cells, export_rows, recipients_filter
from awards.exports.xlsx_writer import xlsx_export, xlsx_write

__all__ = [
    "BOM",
    "COLUMNS",
    "DATE_COLUMNS",
    "HEADERS",
    "ORDERS",
    "ORDER_DECISION",
    "ORDER_NAME",
    "ExportFilterForm",
    "ExportFilters",
    "Stats",
    "clean_param",
    "csv_export_stream",
    "csv_write",
    "decision_search_q",
    "decision_year_q",
    "export_cells",
    "export_log_finish",
    "export_log_start",
    "export_rows",
    "file_name_for",
    "file_sha256",
    "filters_parse",
    "is_slug",
    "parse_year",
    "recipient_search_q",
    "recipients_filter",
    "xlsx_export",
    "xlsx_write",
]
