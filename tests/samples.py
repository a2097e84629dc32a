"""Sample import files and spreadsheet/zip builders shared by test modules.

Rows in the database come from tests/factories.py; this module only makes bytes and uploads.
"""

import csv
import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.demo import placeholder_pdf

GIB = 1024**3


# --- Uploaded files ------------------------------------------------------------------------


def pdf_upload(name="Nghị định 42.pdf"):
    return SimpleUploadedFile(name, placeholder_pdf(["thử"]).read(), content_type="application/pdf")


def docx_bytes():
    return zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


# --- Zip files built by hand ---------------------------------------------------------------
# The bombs of test_tables.py and test_import_bombs.py are built byte by byte, the way an
# attacker would: a deflate stream can repeat one compressed block, so a 1 MB upload inflates
# to 1 GB without a test ever holding 1 GB.


def zip_member(name, data, *, method=8, crc=None, size=None, raw=None):
    """A zip member; ``raw`` is an already-deflated body, ``size`` may lie."""
    body = raw if raw is not None else (zlib.compress(data)[2:-4] if method == 8 else data)
    if crc is None:
        crc = zlib.crc32(data) if data is not None else 0
    if size is None:
        size = len(data)
    return name.encode(), method, crc, len(body), size, body


def zip_bytes(members):
    """A zip file of ``members``: a mapping of names to contents (text or bytes), deflated and
    truthfully described, or a list of ``zip_member()`` tuples, which may lie."""
    if isinstance(members, dict):
        members = [
            zip_member(name, data.encode() if isinstance(data, str) else data)
            for name, data in members.items()
        ]
    out, central = io.BytesIO(), []
    for name, method, crc, csize, usize, body in members:
        offset = out.tell()
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0, crc, csize,
                              usize, len(name), 0) + name)  # fmt: skip
        out.write(body)
        fields = (20, 20, 0, method, 0, 0, crc, csize, usize, len(name), 0, 0, 0, 0, 0, offset)
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", *fields) + name)
    start = out.tell()
    for record in central:
        out.write(record)
    size = out.tell() - start
    count = min(len(central), 0xFFFF)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, size, start, 0))
    return out.getvalue()


WORKBOOK = (
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.openxmlforma'
    b'ts.org/officeDocument/2006/relationships/worksheet"/>'
    b'<Relationship Id="rId2" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.o'
    b'rg/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
)
SHEET_HEAD = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"
HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>M\xc3\xa3 khu v\xe1\xbb\xb1c</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>T\xc3\xaan khu v\xe1\xbb\xb1c</t></is></c></row>'
)


def xlsx(sheet=None, shared=None, *, extra=()):
    """A workbook of one sheet; ``sheet`` and ``shared`` are XML or ready ``zip_member()``s."""
    sheet = sheet if sheet is not None else SHEET_HEAD + HEADER_ROW + SHEET_TAIL
    shared = shared if shared is not None else b'<sst xmlns="x"></sst>'
    members = [
        zip_member("xl/workbook.xml", WORKBOOK),
        zip_member("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        sheet if isinstance(sheet, tuple) else zip_member("xl/worksheets/sheet1.xml", sheet),
        shared if isinstance(shared, tuple) else zip_member("xl/sharedStrings.xml", shared),
        *extra,
    ]
    return zip_bytes(members)


def inflating(name, head, unit, tail, *, total, honest=True):
    """A member whose body inflates to about ``total`` bytes: ``unit`` repeated."""
    block = unit * max(1, (1024 * 1024) // len(unit))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    # After a full flush the stream is byte-aligned and forgets its history: one compressed
    # block can be repeated as often as wanted.
    again = zlib.compressobj(9, zlib.DEFLATED, -15)
    repeated = again.compress(block) + again.flush(zlib.Z_FULL_FLUSH)
    count = total // len(block)
    closing = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = closing.compress(tail) + closing.flush(zlib.Z_FINISH)
    body = first + repeated * count + last
    size = len(head) + len(block) * count + len(tail)
    # A bomb that lies about its size claims a small, plausible part.
    return zip_member(name, None, raw=body, crc=0, size=size if honest else 200_000)


# --- Polling areas (elections): the layout of the tally minutes ----------------------------

POLLING_AREA_HEADER = [
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
POLLING_AREA_ROWS = [
    ["1", "KV01", "Khu vực bỏ phiếu số 1", "Xã Đồng Văn, huyện Duy Tiên", "1", "1.234", "1.234",
     "1234", "1234", "1200", "34"],
    ["2", "KV02", "Khu vực bỏ phiếu số 2", "Xã Đồng Văn, huyện Duy Tiên", "1", "980", "975",
     "975", "975", "960", "15"],
    ["", "", "", "", "", "", "", "", "", "", ""],
    ["3", "KV03", "Khu vực bỏ phiếu số 3", "Phường Lê Hồng Phong", "", "2000", "1990",
     "", "", "", ""],
]  # fmt: skip


def polling_area_csv(rows, header=POLLING_AREA_HEADER, delimiter=","):
    """The minutes as CSV (UTF-8 with a BOM): a title line, a blank line, the header, ``rows``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["BIÊN BẢN KẾT QUẢ KIỂM PHIẾU (tổng hợp)"])
    writer.writerow([])
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


# --- Award recipients ----------------------------------------------------------------------

RECIPIENTS_CSV = (
    "STT,Loại,Họ và tên / Tên tập thể,Chức vụ,Đơn vị,Nội dung thành tích\r\n"
    "1,Tập thể,Ban bầu cử xã Thanh Hà,,Huyện Thanh Liêm,Hoàn thành xuất sắc\r\n"
    "2,Cá nhân,Nguyễn Văn Đức,Tổ trưởng,Xã Liêm Cần,\r\n"
    "3,ca nhan,Lê Thị Ánh,Thư ký,Xã Liêm Cần,\r\n"
)


# --- Document lists ------------------------------------------------------------------------

DOCUMENT_LIST_HEADER = (
    '"Hình thức văn bản","Số, ký hiệu","Cơ quan ban hành","Ngày ban hành",'
    '"Ngày có hiệu lực","Trích yếu","Lĩnh vực"'
)
DOCUMENT_LIST_ROWS = [
    '"Quyết định","1436/QĐ-UBND","Ủy ban nhân dân tỉnh","22/06/2021","22/06/2021",'
    '"Về việc tặng Bằng khen","Giáo dục và đào tạo"',
    '"ke hoach","88/KH-UBND","UBND tỉnh","08/04/2025","","Tổ chức kỳ thi tuyển sinh lớp 10",""',
]


def document_list_csv(*lines):
    """An uploaded CSV (UTF-8 with a BOM) of ``lines``, e.g. the header and the rows above."""
    text = "\r\n".join(lines) + "\r\n"
    return SimpleUploadedFile("danh-sach.csv", ("\ufeff" + text).encode("utf-8"))
