"""The one reader of uploaded tables (CSV and XLSX) for every import of the portal.

Communes and districts send spreadsheets saved by every version of Excel and LibreOffice, in
every encoding Vietnam has used, with a title above the table; and anyone can upload a file
built to exhaust the server. So this module:

- reads CSV as UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode Text"), else
  Windows-1258 (the Vietnamese ANSI code page, which writes tone marks as combining
  characters); every cell comes back in NFC;
- guesses the separator (``,`` ``;`` or tab) by which one makes the header row appear;
- finds the header row among the first rows by the folded names of the known columns, so a
  title or a blank line above the table is fine and the columns may come in any order;
- reads XLSX without openpyxl's loader: openpyxl keeps every shared string twice (a list and
  a dict) and lets a single ``<v>`` grow without limit, which is how a 1 MB file held 2.6 GB
  of memory. Before parsing, the zip directory is checked (number of parts, uncompressed
  sizes, compression ratio); while parsing (expat, fed in small chunks), cell length, rows,
  columns, cells, the size of one XML token and a deadline are checked, and everything kept
  (shared strings, rows, their values) is counted against one memory budget, so memory and
  time stay bounded whatever the file says about itself.

Every refusal is a :class:`TableError` whose message is Vietnamese and meant for staff.
"""

import codecs
import csv
import io
import re
import struct
import sys
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from xml.parsers import expat

from django.utils.translation import gettext as _

from portal.text import fold, nfc

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls)
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")  # Excel's "Unicode Text" is a tab-separated .txt
SEPARATORS = (",", ";", "\t")
# The header may sit under a title, a date line and blank lines: look this far down for it.
HEADER_SCAN_ROWS = 20
_CHUNK = 64 * 1024
_TICK = 4096  # check the deadline every this many XML events or CSV rows


class TableError(ValueError):
    """A file that cannot be read as a table; ``str()`` is a Vietnamese message for staff."""


@dataclass(frozen=True)
class Column:
    """A column an import knows: its key, the header staff see, and other accepted headers."""

    key: str
    label: str
    required: bool = False
    aliases: tuple = ()

    def names(self):
        return {fold(self.label), *(fold(alias) for alias in self.aliases)}


@dataclass(frozen=True)
class Limits:
    """What one upload may cost. Each import may lower (or raise) a limit for its own data."""

    max_bytes: int = 5 * 1024 * 1024
    max_rows: int = 20_000
    max_columns: int = 100
    max_cells: int = 500_000
    max_cell_chars: int = 10_000
    # What the reader keeps in memory (shared strings, rows and their values, as Python
    # stores them: 1, 2 or 4 bytes a character plus each object's overhead), estimated as it
    # reads. Uncompressed text alone is no measure: 48 MB of emoji is 48 MB of Python strings,
    # 12 MB of one-digit shared strings is 35 MB. A 20,000-row tally file keeps about 10 MB.
    max_kept_bytes: int = 32 * 1024 * 1024
    max_seconds: float = 4.0
    # XLSX only, checked on the zip directory before anything is inflated.
    max_parts: int = 1_000
    max_uncompressed: int = 64 * 1024 * 1024
    max_part_uncompressed: int = 48 * 1024 * 1024
    max_ratio: int = 100  # XML compresses 5-20x; a bomb, 1000x and more
    max_shared_strings: int = 500_000
    max_styles: int = 64_000  # Excel's own limit for cell formats
    # expat holds one token (a tag with its attributes, a comment) whole until it ends, and
    # rescans it with every chunk: a tag of 40 MB is memory and quadratic time. Real tags are
    # a few hundred bytes; text between tags is read as it streams and is not a token.
    max_token_bytes: int = 1024 * 1024


@dataclass
class Table:
    """The data rows under the header, as ``(line, {key: value})`` (blank rows left out).

    ``line`` is the row number the staff member sees in Excel (or the record number of a
    CSV file). Values are ``""`` for an empty cell, text (NFC, not stripped) for CSV and
    text cells, and ``int``, ``float``, ``bool``, ``date`` or ``datetime`` for typed XLSX
    cells; :func:`cell_text` turns any of them into text.
    """

    header_line: int
    columns: dict = field(default_factory=dict)  # key -> 0-based column index
    rows: list = field(default_factory=list)


def cell_text(value):
    """A cell as stripped NFC text; whole numbers without ``.0``, dates as ``dd/mm/yyyy``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # 1.234 typed in an English Excel is a fraction: write it the Vietnamese way so a
        # count refuses it instead of reading thousands.
        return repr(value).replace(".", ",")
    if isinstance(value, datetime):
        return (
            value.strftime("%d/%m/%Y %H:%M")
            if value.time() != datetime.min.time()
            else (value.strftime("%d/%m/%Y"))
        )
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value)).strip()


def read_table(content, *, filename, columns, limits=None):
    """Read the first sheet of an XLSX file, or a CSV file, into a :class:`Table`.

    ``content`` is the uploaded bytes (the caller reads at most ``max_bytes + 1`` of them).
    Raises :class:`TableError` when the file is refused.
    """
    limits = limits or Limits()
    if len(content) > limits.max_bytes:
        raise TableError(_("Tệp quá lớn: tối đa %(size)s.") % {"size": _size(limits.max_bytes)})
    if not content.strip():
        raise TableError(_("Tệp rỗng."))
    name = (filename or "").lower()
    if content.startswith(OLE_MAGIC) or name.endswith(".xls"):
        raise TableError(
            _("Tệp Excel 97-2003 (.xls) không được hỗ trợ: hãy lưu lại thành .xlsx hoặc CSV.")
        )
    if not name.endswith((".xlsx", *TEXT_SUFFIXES)):
        raise TableError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    deadline = _Deadline(limits.max_seconds)
    # An .xlsx renamed .csv (or the other way round) is read by what it is.
    if content.startswith(ZIP_MAGIC) or name.endswith(".xlsx"):
        raw = _XlsxReader(content, limits, deadline).rows()
    else:
        raw = _csv_rows(content, limits, deadline, columns)
    return _table(raw, columns, limits)


def _size(n):
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    return f"{n} byte"


class _Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def check(self):
        if time.monotonic() > self.end:
            raise TableError(
                _(
                    "Tệp quá lớn hoặc quá phức tạp để đọc trong thời gian cho phép. Hãy chia "
                    "nhỏ tệp hoặc lưu lại chỉ với bảng số liệu."
                )
            )


def _too_many_rows(limits):
    return TableError(
        _("Tệp có quá nhiều dòng: tối đa %(max)s dòng mỗi lần nhập.")
        % {"max": f"{limits.max_rows:,}".replace(",", ".")}
    )


def _too_many_columns(limits):
    return TableError(_("Tệp có quá nhiều cột: tối đa %(max)s cột.") % {"max": limits.max_columns})


def _too_many_cells(limits):
    return TableError(
        _("Tệp có quá nhiều ô có dữ liệu: tối đa %(max)s ô.")
        % {"max": f"{limits.max_cells:,}".replace(",", ".")}
    )


def _too_much_data(limits):
    return TableError(
        _(
            "Tệp có quá nhiều dữ liệu để đọc một lần (quá %(size)s khi giải nén vào bộ nhớ). Hãy "
            "chia nhỏ tệp hoặc bỏ các cột, các ô không cần nhập."
        )
        % {"size": _size(limits.max_kept_bytes)}
    )


def _cell_too_long(limits, line):
    return TableError(
        _("Một ô ở dòng %(line)s dài quá %(max)s ký tự.")
        % {"line": line, "max": f"{limits.max_cell_chars:,}".replace(",", ".")}
    )


# What keeping one more row costs besides its list: the (line, cells) tuple, the line number
# and the slot in the list of rows.
_ROW_OVERHEAD = sys.getsizeof((0, [])) + sys.getsizeof(10**6) + 8


class _Budget:
    """Counts non-empty rows and cells as they are read, across both formats, and the bytes
    of everything kept (:attr:`Limits.max_kept_bytes`)."""

    def __init__(self, limits):
        self.limits = limits
        self.rows = 0
        self.cells = 0
        self.kept = 0

    def keep(self, size):
        """Count ``size`` more bytes kept in memory."""
        self.kept += size
        if self.kept > self.limits.max_kept_bytes:
            raise _too_much_data(self.limits)

    def take(self, cells):
        """Count one row; ``cells`` is its list of values. Returns whether it has data."""
        filled = sum(1 for value in cells if value not in ("", None))
        if not filled:
            return False
        self.rows += 1
        self.cells += filled
        # The header and a title above it come before the data rows.
        if self.rows > self.limits.max_rows + HEADER_SCAN_ROWS + 1:
            raise _too_many_rows(self.limits)
        if self.cells > self.limits.max_cells:
            raise _too_many_cells(self.limits)
        return True


# --- Header and rows ---------------------------------------------------------------------


def _header_map(cells, columns):
    lookup = {}
    for column in columns:
        for name in column.names():
            lookup.setdefault(name, column.key)
    mapping = {}
    for index, value in enumerate(cells):
        if not isinstance(value, str):
            continue
        key = lookup.get(fold(value.replace("\u00a0", " ")).strip(" :*"))
        if key and key not in mapping:
            mapping[key] = index
    return mapping


def _find_header(raw, columns):
    """``(position in raw, mapping)`` of the header row, or raise ``TableError``."""
    required = {column.key for column in columns if column.required}
    best = None
    for position, (line, cells) in enumerate(raw[:HEADER_SCAN_ROWS]):
        mapping = _header_map(cells, columns)
        if required <= set(mapping) and mapping:
            return position, mapping
        if mapping and (best is None or len(mapping) > len(best[2])):
            best = (position, line, mapping)
    labels = {column.key: column.label for column in columns}
    if best is not None:
        missing = [labels[key] for key in sorted(required - set(best[2]), key=list(labels).index)]
        raise TableError(
            _("Không tìm thấy dòng tiêu đề đủ cột: dòng %(line)s thiếu cột: %(columns)s.")
            % {"line": best[1], "columns": ", ".join(f"“{label}”" for label in missing)}
        )
    names = ", ".join(f"“{column.label}”" for column in columns if column.required)
    raise TableError(
        _("Không tìm thấy dòng tiêu đề. Tệp cần có các cột: %(cols)s.") % {"cols": names}
    )


def _table(raw, columns, limits):
    if not raw:
        raise TableError(_("Tệp không có dữ liệu."))
    position, mapping = _find_header(raw, columns)
    table = Table(header_line=raw[position][0], columns=mapping)
    for line, cells in raw[position + 1 :]:
        values = {key: (cells[i] if i < len(cells) else "") for key, i in mapping.items()}
        if all(value in ("", None) or (isinstance(value, str) and not value.strip())
               for value in values.values()):  # fmt: skip
            continue
        table.rows.append((line, {k: "" if v is None else v for k, v in values.items()}))
    if len(table.rows) > limits.max_rows:
        raise _too_many_rows(limits)
    return table


# --- CSV -----------------------------------------------------------------------------------


def _decodes(content, encoding):
    """Whether all of ``content`` decodes, checked a megabyte at a time: the whole text is
    never held (5 MB with one emoji is a 20 MB string)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(content)
    try:
        for start in range(0, len(view), 1024 * 1024):
            decoder.decode(view[start : start + 1024 * 1024])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _not_text():
    return TableError(
        _(
            "Tệp chứa ký tự không hợp lệ: không phải tệp CSV dạng chữ. Hãy lưu lại thành "
            "“CSV UTF-8”."
        )
    )


def _encoding(content):
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if not _decodes(content, "utf-16"):
            raise TableError(_("Không đọc được tệp CSV (UTF-16)."))
        return "utf-16"
    if b"\x00" in content[:4096]:
        raise _not_text()
    for encoding in ("utf-8-sig", "cp1258"):
        if _decodes(content, encoding):
            return encoding
    message = _("Không nhận ra bảng mã của tệp CSV. Trong Excel hãy lưu thành “CSV UTF-8”.")
    raise TableError(message)


# A CSV line longer than this (a row of 100 long cells) is not a table a person made.
MAX_LINE_CHARS = 256 * 1024


def _lines(content, encoding):
    """The lines of the file, decoded and in NFC, one at a time (ends kept, any of CR, LF
    and CRLF, as ``csv`` wants them)."""
    stream = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    while line := stream.readline(MAX_LINE_CHARS + 1):
        if len(line) > MAX_LINE_CHARS:
            raise TableError(
                _("Tệp CSV có một dòng dài quá %(max)s ký tự.")
                % {"max": f"{MAX_LINE_CHARS:,}".replace(",", ".")}
            )
        if "\x00" in line:
            raise _not_text()
        # A line break is never inside a combining sequence: NFC line by line is NFC.
        yield nfc(line)


def _csv_rows(content, limits, deadline, columns):
    encoding = _encoding(content)
    # The first lines are enough to choose the separator (a character cut in two at the end
    # of the sample waits for bytes that never come: not an error).
    sample = codecs.getincrementaldecoder(encoding)().decode(content[:65536])
    separator = _separator(nfc(sample[:16384]), columns)
    budget = _Budget(limits)
    rows = []
    reader = csv.reader(_lines(content, encoding), delimiter=separator)
    try:
        for line, cells in enumerate(reader, start=1):
            if line % _TICK == 0:
                deadline.check()
            while cells and not cells[-1].strip():
                cells.pop()  # Excel writes the empty cells of formatted columns
            if len(cells) > limits.max_columns:
                raise _too_many_columns(limits)
            if any(len(cell) > limits.max_cell_chars for cell in cells):
                raise _cell_too_long(limits, line)
            if budget.take([cell.strip() for cell in cells]):
                size = sys.getsizeof(cells) + sum(map(sys.getsizeof, cells))
                budget.keep(_ROW_OVERHEAD + size)
                rows.append((line, cells))
    except csv.Error as exc:
        raise TableError(_("Tệp CSV không đúng định dạng (%(error)s).") % {"error": exc}) from exc
    return rows


def _separator(sample, columns):
    """The separator that turns one of the first lines into the most known column headers.

    Excel writes ``;`` in Vietnamese locales and tabs in "Unicode Text"; a title line full of
    commas must not win over the header, so the header decides, and the count breaks ties.
    """
    best, best_score = ",", (-1, -1)
    for separator in SEPARATORS:
        found = 0
        try:
            reader = csv.reader(io.StringIO(sample, newline=""), delimiter=separator)
            for _i, cells in zip(range(HEADER_SCAN_ROWS), reader, strict=False):
                found = max(found, len(_header_map(cells, columns)))
        except csv.Error:
            continue
        score = (found, sample.count(separator))
        if score > best_score:
            best, best_score = separator, score
    return best


# --- XLSX ----------------------------------------------------------------------------------


def _corrupt():
    return TableError(_("Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc sai định dạng."))


def _bomb():
    return TableError(
        _(
            "Tệp Excel bị từ chối: khi giải nén, tệp lớn bất thường so với kích thước tải lên "
            "(có thể là tệp độc hại). Hãy mở tệp trong Excel và lưu lại chỉ với bảng số liệu."
        )
    )


def _zip_entries(content):
    """The number of parts from the end-of-directory record, read before ``zipfile`` builds
    an object per part (100,000 tiny parts fit in a 5 MB upload)."""
    tail = content[-(65536 + 22) :]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _corrupt()
    _disk, _start, _here, total = struct.unpack("<HHHH", tail[at + 4 : at + 12])
    return total


_LOCAL_NAMES = {}


def _local(name):
    # Called for every element of a sheet: remember each tag's local name.
    local = _LOCAL_NAMES.get(name)
    if local is None:
        local = name.rpartition(":")[2]
        if len(_LOCAL_NAMES) < 1000:
            _LOCAL_NAMES[name] = local
    return local


def _refuse_dtd(*_args):
    # OOXML parts never have a DTD; entity declarations are how XML bombs grow.
    raise _bomb()


class _XlsxReader:
    def __init__(self, content, limits, deadline):
        self.limits = limits
        self.deadline = deadline
        total = _zip_entries(content)
        if total > limits.max_parts or total == 0xFFFF:
            raise _bomb()
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(content))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
            raise _corrupt() from exc
        if len(infos) > limits.max_parts:
            raise _bomb()
        uncompressed = 0
        for info in infos:
            uncompressed += info.file_size
            if info.file_size > limits.max_part_uncompressed:
                raise _bomb()
            if info.file_size > 1024 * 1024 and (
                info.file_size > limits.max_ratio * max(info.compress_size, 1)
            ):
                raise _bomb()
        if uncompressed > limits.max_uncompressed:
            raise _bomb()
        self.names = {info.filename for info in infos}
        self.budget = _Budget(limits)  # shared strings and rows share one memory budget

    # Parts are streamed through expat in chunks; the handlers see every element.
    def _parse(self, name, start, end=None, text=None):
        if name not in self.names:
            raise _corrupt()
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = _refuse_dtd
        parser.EntityDeclHandler = _refuse_dtd
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        read = 0
        try:
            with self.zip.open(name) as stream:
                while chunk := stream.read(_CHUNK):
                    read += len(chunk)
                    # The directory's sizes were checked, but they are the file's own claim.
                    if read > self.limits.max_part_uncompressed:
                        raise _bomb()
                    self.deadline.check()
                    parser.Parse(chunk, False)
                    # What expat holds unparsed: the token it has not seen the end of.
                    if read - parser.CurrentByteIndex > self.limits.max_token_bytes:
                        raise _bomb()
                parser.Parse(b"", True)
        # zipfile raises RuntimeError for an encrypted part and NotImplementedError for an
        # unsupported compression (Deflate64): both are files we cannot read, not bugs.
        except (
            expat.ExpatError,
            zipfile.BadZipFile,
            EOFError,
            OSError,
            ValueError,
            RuntimeError,
            NotImplementedError,
        ) as exc:
            if isinstance(exc, TableError):
                raise
            raise _corrupt() from exc

    def _relationships(self, name):
        rels = {}

        def start(tag, attrs):
            if _local(tag) == "Relationship":
                rels[attrs.get("Id")] = (attrs.get("Target", ""), attrs.get("Type", ""))

        if name in self.names:
            self._parse(name, start)
        return rels

    def _locate(self):
        """The paths of the first sheet, the shared strings and the styles, and the epoch."""
        workbook = "xl/workbook.xml"
        for target, kind in self._relationships("_rels/.rels").values():
            if kind.endswith("/officeDocument"):
                workbook = target.lstrip("/")
        base = workbook.rpartition("/")[0]
        sheets, props = [], {}

        def start(tag, attrs):
            local = _local(tag)
            if local == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id"), None)
                sheets.append(rid)
            elif local == "workbookPr":
                props.update(attrs)

        self._parse(workbook, start)
        rels = self._relationships(f"{base}/_rels/{workbook.rpartition('/')[2]}.rels")

        def path(target):
            if target.startswith("/"):
                return target.lstrip("/")
            return f"{base}/{target}" if base else target

        found = {}
        for target, kind in rels.values():
            for role in ("sharedStrings", "styles"):
                if kind.endswith("/" + role):
                    found[role] = path(target)
        sheet = rels.get(sheets[0], ("", ""))[0] if sheets else ""
        if not sheet:
            raise _corrupt()
        epoch_1904 = props.get("date1904", "").lower() in ("1", "true")
        return path(sheet), found.get("sharedStrings"), found.get("styles"), epoch_1904

    def _shared_strings(self, name):
        strings = []
        state = {"in_si": False, "in_t": False, "phonetic": 0, "parts": [], "length": 0}
        limits = self.limits
        events = [0]

        def start(tag, _attrs):
            events[0] += 1
            if events[0] % _TICK == 0:
                self.deadline.check()
            local = _local(tag)
            if local == "si":
                state.update(in_si=True, parts=[], length=0)
            elif local == "rPh":
                state["phonetic"] += 1  # Japanese reading hints: not part of the text
            elif local == "t" and state["in_si"] and not state["phonetic"]:
                state["in_t"] = True

        def end(tag):
            local = _local(tag)
            if local == "t":
                state["in_t"] = False
            elif local == "rPh":
                state["phonetic"] -= 1
            elif local == "si":
                value = nfc("".join(state["parts"]))
                state["parts"] = []
                self.budget.keep(sys.getsizeof(value) + 8)
                strings.append(value)
                state["in_si"] = False
                if len(strings) > limits.max_shared_strings:
                    raise _too_many_cells(limits)

        def text(data):
            if state["in_t"]:
                state["length"] += len(data)
                if state["length"] > limits.max_cell_chars:
                    raise TableError(
                        _("Một ô của tệp dài quá %(max)s ký tự.")
                        % {"max": f"{limits.max_cell_chars:,}".replace(",", ".")}
                    )
                state["parts"].append(data)

        self._parse(name, start, end, text)
        return strings

    def _date_styles(self, name):
        """Indexes of the cell formats that show a number as a date or time."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

        custom, formats, state = {}, [], {"in_xfs": False}
        limits = self.limits

        def start(tag, attrs):
            local = _local(tag)
            if local == "numFmt" and len(custom) < limits.max_styles:
                custom[attrs.get("numFmtId")] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                state["in_xfs"] = True
            elif local == "xf" and state["in_xfs"]:
                formats.append(attrs.get("numFmtId", "0"))
                if len(formats) > limits.max_styles:
                    raise _bomb()

        def end(tag):
            if _local(tag) == "cellXfs":
                state["in_xfs"] = False

        self._parse(name, start, end)
        dates = set()
        for index, fmt_id in enumerate(formats):
            code = custom.get(fmt_id)
            if code is None and fmt_id.isdigit():
                code = BUILTIN_FORMATS.get(int(fmt_id))
            if code and is_date_format(code):
                dates.add(index)
        return dates

    def rows(self):
        sheet, shared_name, styles_name, epoch_1904 = self._locate()
        shared = self._shared_strings(shared_name) if shared_name in self.names else []
        dates = self._date_styles(styles_name) if styles_name in self.names else set()
        return _SheetParser(self, shared, dates, epoch_1904).read(sheet)


_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d*)")


def _column_index(ref):
    match = _CELL_REF.match(ref or "")
    if not match:
        return None
    index = 0
    for letter in match.group(1).upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


class _SheetParser:
    """Streams ``<sheetData>``: one row in memory at a time, typed values as openpyxl's
    ``values_only`` would give them (formulas read as their cached result)."""

    def __init__(self, reader, shared, dates, epoch_1904):
        self.reader = reader
        self.limits = reader.limits
        self.shared = shared
        self.dates = dates
        self.epoch_1904 = epoch_1904
        self.budget = reader.budget
        self.out = []
        self.events = 0
        self.line = 0
        self.cells = None
        self.cell = None  # [column, type, style]
        self.parts = []
        self.length = 0
        self.capture = False
        self.inline = False
        self.phonetic = 0
        self.next_column = 0
        self.row_kept = 0  # bytes of this row's values that are not shared strings

    def read(self, name):
        self.reader._parse(name, self.start, self.end, self.text)
        return self.out

    def start(self, tag, attrs):
        self.events += 1
        if self.events % _TICK == 0:
            self.reader.deadline.check()
        local = _local(tag)
        if local == "row":
            number = attrs.get("r", "")
            self.line = int(number) if number.isdigit() else self.line + 1
            self.cells = {}
            self.next_column = 0
            self.row_kept = 0
        elif local == "c" and self.cells is not None:
            column = _column_index(attrs.get("r"))
            if column is None:
                column = self.next_column
            self.next_column = column + 1
            self.cell = [column, attrs.get("t", "n"), attrs.get("s")]
            self.parts, self.length = [], 0
        elif local == "v" and self.cell is not None:
            self.capture = True
        elif local == "is":
            self.inline = True
        elif local == "rPh":
            self.phonetic += 1
        elif local == "t" and self.inline and not self.phonetic:
            self.capture = True

    def text(self, data):
        if self.capture:
            self.length += len(data)
            if self.length > self.limits.max_cell_chars:
                raise _cell_too_long(self.limits, self.line)
            self.parts.append(data)

    def end(self, tag):
        local = _local(tag)
        if local in ("v", "t"):
            self.capture = False
        elif local == "is":
            self.inline = False
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "c" and self.cell is not None:
            column, kind, style = self.cell
            self.cell = None
            value = self._value(kind, style, "".join(self.parts))
            self.parts = []
            if value not in ("", None):
                if column >= self.limits.max_columns:
                    raise _too_many_columns(self.limits)
                if kind != "s":  # a shared string is counted once, when it was read
                    self.row_kept += sys.getsizeof(value)
                self.cells[column] = value
        elif local == "row" and self.cells is not None:
            cells = [""] * (max(self.cells) + 1 if self.cells else 0)
            for column, value in self.cells.items():
                cells[column] = value
            self.cells = None
            if self.budget.take(cells):
                self.budget.keep(_ROW_OVERHEAD + sys.getsizeof(cells) + self.row_kept)
                self.out.append((self.line, cells))

    def _value(self, kind, style, raw):
        if kind == "s":
            try:
                return self.shared[int(raw)]
            except (ValueError, IndexError) as exc:
                raise _corrupt() from exc
        if kind in ("inlineStr", "str", "e"):
            return nfc(raw)
        if kind == "b":
            return raw.strip() == "1"
        if not raw.strip():
            return ""
        if kind == "d":
            try:
                return datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        try:
            number = float(raw)
        except ValueError as exc:
            raise _corrupt() from exc
        if style is not None and style.isdigit() and int(style) in self.dates:
            return self._date(number)
        if number.is_integer() and abs(number) < 2**53:
            return int(number)
        return number

    def _date(self, number):
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

        try:
            value = from_excel(
                number, CALENDAR_MAC_1904 if self.epoch_1904 else CALENDAR_WINDOWS_1900
            )
        except (OverflowError, ValueError):
            return number
        if isinstance(value, datetime) and value.time() == datetime.min.time():
            return value.date()
        return value
