"""Import of a document list (CSV/XLSX) through the portal's one import flow.

The file is read by :mod:`portal.tables`; each row becomes a :class:`Document` checked by the
model's own ``full_clean`` (dates in order, the same number from the same authority on the same
day refused), so a file cannot store what the admin form refuses. Types, issuing authorities and
fields must already be in their lists: a typo in a file must not create a new authority.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from documents.models import Document, DocumentType, Field, Issuer
from portal.tables import Column, Limits, TableError, cell_text, read_table
from portal.text import fold, normalize_document_number

IMPORT_COLUMNS = [
    Column("doc_type", "Hình thức văn bản", True, ("hinh thuc", "loai van ban")),
    Column("number", "Số, ký hiệu", True, ("so ky hieu", "so/ky hieu", "so hieu", "so")),
    Column("issuer", "Cơ quan ban hành", True, ("co quan ban hanh", "noi ban hanh")),
    Column(
        "co_issuers",
        "Cơ quan cùng ban hành",
        False,
        ("co quan cung ban hanh", "co quan phoi hop ban hanh", "lien tich"),
    ),
    Column("issued_on", "Ngày ban hành", True, ("ngay ban hanh", "ngay ky")),
    Column("effective_on", "Ngày có hiệu lực", False, ("ngay co hieu luc", "ngay hieu luc")),
    Column("expires_on", "Ngày hết hiệu lực", False, ("ngay het hieu luc",)),
    Column("status", "Tình trạng hiệu lực", False, ("tinh trang hieu luc", "tinh trang")),
    Column("summary", "Trích yếu", True, ("trich yeu", "trich yeu noi dung", "noi dung")),
    Column("signer_name", "Người ký", False, ("nguoi ky",)),
    Column("signer_title", "Chức vụ người ký", False, ("chuc vu nguoi ky", "chuc vu")),
    Column("fields", "Lĩnh vực", False, ("linh vuc",)),
]
MAX_IMPORT_ROWS = 2000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
DATE_KEYS = ("issued_on", "effective_on", "expires_on")


def import_limits():
    return Limits(max_bytes=MAX_IMPORT_BYTES, max_rows=MAX_IMPORT_ROWS)


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)  # JSON-ready dicts, with "line"
    errors: list = field(default_factory=list)  # (line or None, message)
    warnings: list = field(default_factory=list)  # (line, message): saved anyway


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(_("ngày “%(value)s” không đúng dạng ngày/tháng/năm") % {"value": text})


def _by_name(queryset):
    found = {}
    for obj in queryset:
        found[fold(obj.name)] = obj
        short = getattr(obj, "short_name", "")
        if short:
            found.setdefault(fold(short), obj)
    return found


_STATUSES = {fold(str(label)): value for value, label in Document.Status.choices}


def _listed(text, known, message):
    """The records a ``;``-separated cell names, and an error for each name not in the list."""
    found, errors = [], []
    for name in [n.strip() for n in text.split(";") if n.strip()]:
        record = known.get(fold(name))
        if record is None:
            errors.append(message % {"name": name})
        elif record not in found:
            found.append(record)
    return found, errors


def _messages(error):
    if hasattr(error, "message_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


def documents_parse(*, content, filename):
    """Check an uploaded document list row by row; nothing is written."""
    report = ImportReport()
    try:
        table = read_table(
            content, filename=filename, columns=IMPORT_COLUMNS, limits=import_limits()
        )
    except TableError as exc:
        report.errors.append((None, str(exc)))
        return report
    types = _by_name(DocumentType.objects.all())
    issuers = _by_name(Issuer.objects.all())
    fields = _by_name(Field.objects.all())
    labels = {column.key: column.label for column in IMPORT_COLUMNS}
    seen = {}
    for line, cells in table.rows:
        errors = []
        values = {key: cell_text(cells.get(key, "")) for key in labels if key not in DATE_KEYS}
        dates = {}
        for key in DATE_KEYS:
            try:
                dates[key] = _date(cells.get(key, ""))
            except ValidationError as exc:
                errors.append(
                    _("cột “%(col)s”: %(error)s") % {"col": labels[key], "error": exc.messages[0]}
                )
                dates[key] = None
        for key in ("doc_type", "number", "issuer", "summary"):
            if not values[key]:
                errors.append(_("thiếu “%(col)s”") % {"col": labels[key]})
        if not dates["issued_on"] and not any(labels["issued_on"] in e for e in errors):
            errors.append(_("thiếu “%(col)s”") % {"col": labels["issued_on"]})
        doc_type = types.get(fold(values["doc_type"]))
        if values["doc_type"] and doc_type is None:
            errors.append(
                _("hình thức “%(name)s” chưa có trong danh mục") % {"name": values["doc_type"]}
            )
        issuer = issuers.get(fold(values["issuer"]))
        if values["issuer"] and issuer is None:
            errors.append(
                _("cơ quan ban hành “%(name)s” chưa có trong danh mục") % {"name": values["issuer"]}
            )
        row_fields, field_errors = _listed(
            values["fields"], fields, _("lĩnh vực “%(name)s” chưa có trong danh mục")
        )
        co_issuers, co_issuer_errors = _listed(
            values["co_issuers"], issuers, _("cơ quan ban hành “%(name)s” chưa có trong danh mục")
        )
        errors += field_errors + co_issuer_errors
        if issuer is not None and issuer in co_issuers:
            errors.append(
                _("“%(name)s” đã là cơ quan chủ trì, không ghi lại ở cơ quan cùng ban hành")
                % {"name": issuer.name}
            )
        status = Document.Status.IN_FORCE
        if values["status"]:
            status = _STATUSES.get(fold(values["status"]))
            if status is None:
                errors.append(
                    _("tình trạng hiệu lực “%(value)s” không hợp lệ") % {"value": values["status"]}
                )
        if not errors:
            document = Document(
                doc_type=doc_type,
                issuer=issuer,
                number=values["number"],
                summary=values["summary"],
                signer_name=values["signer_name"],
                signer_title=values["signer_title"],
                status=status,
                **dates,
            )
            try:
                document.full_clean(exclude=["slug", "published_at"])
            except ValidationError as exc:
                errors.extend(m.rstrip(".") for m in _messages(exc))
        key = (issuer.pk if issuer else None, normalize_document_number(values["number"]),
               dates["issued_on"])  # fmt: skip
        if key in seen:
            errors.append(_("trùng với dòng %(line)s") % {"line": seen[key]})
        else:
            seen[key] = line
        if errors:
            report.errors.append((line, "; ".join(str(e) for e in errors)))
            continue
        same_number = Document.objects.filter(
            issuer=issuer, number_normalized=normalize_document_number(values["number"])
        ).first()
        if same_number is not None:
            report.warnings.append(
                (
                    line,
                    _("cơ quan này đã có văn bản số %(number)s ngày %(date)s")
                    % {"number": same_number.number, "date": f"{same_number.issued_on:%d/%m/%Y}"},
                )
            )
        report.rows.append(
            {
                "line": line,
                "doc_type": doc_type.pk,
                "doc_type_name": doc_type.name,
                "issuer": issuer.pk,
                "issuer_name": issuer.name,
                "number": values["number"],
                "summary": values["summary"],
                "signer_name": values["signer_name"],
                "signer_title": values["signer_title"],
                "status": status,
                "fields": [f.pk for f in row_fields],
                "co_issuers": [i.pk for i in co_issuers],
                "co_issuer_names": [i.name for i in co_issuers],
                **{key: value.isoformat() if value else None for key, value in dates.items()},
            }
        )
    if not report.rows and not report.errors:
        report.errors.append((None, _("Tệp không có dòng văn bản nào.")))
    return report


def documents_import(*, rows):
    """Save checked rows (each checked again: the registry may have changed since the preview)."""
    created = []
    with transaction.atomic():
        for row in rows:
            document = Document(
                doc_type_id=row["doc_type"],
                issuer_id=row["issuer"],
                number=row["number"],
                summary=row["summary"],
                signer_name=row["signer_name"],
                signer_title=row["signer_title"],
                status=row["status"],
                **{
                    key: datetime.date.fromisoformat(row[key]) if row[key] else None
                    for key in DATE_KEYS
                },
            )
            document.full_clean(exclude=["slug", "published_at"])
            document.save()
            if row["fields"]:
                document.fields.set(row["fields"])
            if row.get("co_issuers"):
                document.co_issuers.set(row["co_issuers"])
            created.append(document)
    return created
