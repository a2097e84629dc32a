"""Uploaded documents (PDF, DOC/DOCX, XLS/XLSX, ZIP of those): checked by content, not by name.

One helper for every app that accepts office files: the scanned decisions of awards and the
attached files of the documents registry. A file's type is what its first bytes say (and, for
the ZIP family, what its directory holds); the uploaded name and the browser's Content-Type are
never trusted. Files are stored under random names and served with the original Vietnamese
name in ``Content-Disposition`` (:func:`content_disposition`).
"""

import secrets
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.text import nfc, slugify_vi

PDF_MAGIC = b"%PDF-"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Word/Excel (.doc, .xls)
ZIP_MAGIC = b"PK\x03\x04"

# kind -> (extension, MIME type, label)
KINDS = {
    "pdf": ("pdf", "application/pdf", "PDF"),
    "doc": ("doc", "application/msword", "Word (DOC)"),
    "xls": ("xls", "application/vnd.ms-excel", "Excel (XLS)"),
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (DOCX)",
    ),
    "xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel (XLSX)",
    ),
    "zip": ("zip", "application/zip", "ZIP"),
}
# What a ZIP may carry: the office formats above, never another archive or an executable.
ZIP_MEMBER_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx"}
ZIP_MAX_MEMBERS = 200
# A ZIP whose content would unpack to more than this many times its size is a zip bomb.
ZIP_MAX_RATIO = 100


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    size: int

    @property
    def extension(self):
        return KINDS[self.kind][0]

    @property
    def content_type(self):
        return KINDS[self.kind][1]


def document_max_bytes():
    return getattr(settings, "PORTAL_DOCUMENT_MAX_BYTES", 30 * 1024 * 1024)


def _read_head(fileobj, count):
    if hasattr(fileobj, "open"):
        fileobj.open("rb")
    position = fileobj.tell()
    fileobj.seek(0)
    head = fileobj.read(count)
    fileobj.seek(position)
    if isinstance(head, str):
        head = head.encode("latin-1", "replace")
    return head


def _zip_kind(fileobj, size):
    """``docx``, ``xlsx`` or ``zip`` after a directory sanity check; a ValidationError if bad."""
    bad = ValidationError(_("Tệp nén bị hỏng hoặc chứa nội dung không được phép."), code="bad_zip")
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
            names = [m.filename for m in members]
            if not members or len(members) > 5000:
                raise bad
            unpacked = sum(m.file_size for m in members)
            if unpacked > max(size, 1) * ZIP_MAX_RATIO:
                raise bad
            for name in names:
                if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
                    raise bad
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return "docx"
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
                raise bad
            files = [m for m in members if not m.is_dir()]
            if not files or len(files) > ZIP_MAX_MEMBERS:
                raise bad
            for member in files:
                ext = member.filename.rsplit(".", 1)[-1].lower() if "." in member.filename else ""
                if ext not in ZIP_MEMBER_EXTENSIONS:
                    raise ValidationError(
                        _(
                            "Tệp nén chỉ được chứa tệp PDF, DOC, DOCX, XLS, XLSX (có tệp "
                            "“%(name)s”)."
                        ),
                        code="zip_member",
                        params={"name": member.filename[:80]},
                    )
                with archive.open(member) as inner:
                    inner_head = inner.read(8)
                wanted = {
                    "pdf": PDF_MAGIC,
                    "doc": OLE2_MAGIC,
                    "xls": OLE2_MAGIC,
                    "docx": ZIP_MAGIC,
                    "xlsx": ZIP_MAGIC,
                }[ext]
                if not inner_head.startswith(wanted):
                    raise bad
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError) as exc:
        # RuntimeError: an encrypted member; NotImplementedError would be an unknown method.
        raise bad from exc
    except NotImplementedError as exc:
        raise bad from exc
    finally:
        fileobj.seek(0)
    return "zip"


def check_document_file(fileobj, *, allowed=tuple(KINDS), max_bytes=None):
    """Check an upload by its content; return a :class:`CheckedFile` or raise ValidationError.

    ``allowed`` narrows the kinds (awards' scans accept ``("pdf",)`` only).
    """
    limit = max_bytes if max_bytes is not None else document_max_bytes()
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
        fileobj.seek(0)
    if size > limit:
        raise ValidationError(
            _("Tệp quá lớn: tối đa %(limit)s MB."),
            code="too_big",
            params={"limit": max(1, limit // (1024 * 1024))},
        )
    if size == 0:
        raise ValidationError(_("Tệp rỗng."), code="empty")
    try:
        head = _read_head(fileobj, 8)
    except (OSError, ValueError) as exc:
        raise ValidationError(_("Không đọc được tệp."), code="unreadable") from exc
    if head.startswith(PDF_MAGIC):
        kind = "pdf"
    elif head.startswith(OLE2_MAGIC):
        # .doc and .xls share the container; the name's extension only picks the label.
        name = (getattr(fileobj, "name", "") or "").lower()
        kind = "xls" if name.endswith(".xls") else "doc"
    elif head.startswith(ZIP_MAGIC):
        kind = _zip_kind(fileobj, size)
    else:
        kind = None
    if kind is None or kind not in allowed:
        labels = ", ".join(KINDS[k][0].upper() for k in allowed)
        raise ValidationError(
            _("Tệp không đúng định dạng cho phép (%(kinds)s): nội dung tệp không khớp."),
            code="bad_type",
            params={"kinds": labels},
        )
    return CheckedFile(kind=kind, size=size)


def random_file_name(folder, extension):
    """A storage name that says nothing about the upload (which may carry personal data)."""
    return f"{folder}/{secrets.token_hex(16)}.{extension}"


def clean_display_name(name, extension):
    """The name shown to visitors: NFC, no path, no control characters, the real extension."""
    base = nfc(str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().strip(".")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[:150].strip() or "tep"
    return f"{stem}.{extension}"


def content_disposition(display_name, *, inline=False):
    """``attachment; filename="ascii.pdf"; filename*=UTF-8''Ngh%E1%BB%8B...`` (RFC 6266/5987).

    Old clients read the ASCII ``filename``; every current browser takes ``filename*`` and so
    saves the Vietnamese name.
    """
    stem, _dot, extension = display_name.rpartition(".")
    ascii_stem = slugify_vi(stem or display_name, max_length=100) or "tep"
    ascii_name = f"{ascii_stem}.{extension}" if stem else ascii_stem
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(display_name)}"
