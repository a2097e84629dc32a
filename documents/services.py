"""Documents services: duplicate numbers, download counts, moderation, open data, home block."""

import datetime
import json

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from documents.models import Document, DocumentFile, DraftComment
from portal.text import normalize_document_number

HOME_BLOCK_SIZE = 5
_DOWNLOAD_KEY = "documents:downloads:{}"


def download_flush_every():
    return getattr(settings, "DOCUMENTS_DOWNLOAD_FLUSH_EVERY", 50)


# --- duplicate numbers ------------------------------------------------------------------------


def document_duplicates(*, document):
    """Other documents with the same number from one of the same issuing authorities.

    Not a hard block: numbers restart every year, so the same number a year later is normal;
    the admin shows a warning and lets the clerk decide.
    """
    normalized = normalize_document_number(document.number)
    if not normalized or not document.issuer_id:
        return []
    issuer_ids = {document.issuer_id}
    if document.pk:
        issuer_ids |= set(document.co_issuers.values_list("pk", flat=True))
    clashes = (
        Document.objects.filter(number_normalized=normalized)
        .filter(issuer_id__in=issuer_ids)
        .exclude(pk=document.pk)
        .select_related("doc_type")
    )
    joint = (
        Document.objects.filter(number_normalized=normalized, co_issuers__in=issuer_ids)
        .exclude(pk=document.pk)
        .select_related("doc_type")
    )
    seen = {}
    for doc in [*clashes, *joint]:
        seen.setdefault(doc.pk, doc)
    return list(seen.values())


# --- download counts --------------------------------------------------------------------------


def download_record(*, file_id):
    """Count one download in the cache (atomic); write to the database only every Nth time.

    A download must not cost a database write: the counter lives in the cache (Redis in
    production, shared by every instance) and is flushed in batches, here and by
    ``manage.py flush_download_counts``.
    """
    key = _DOWNLOAD_KEY.format(file_id)
    cache.add(key, 0, timeout=None)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: start again
        cache.set(key, 1, timeout=None)
        count = 1
    if count >= download_flush_every():
        downloads_flush(file_ids=[file_id])
    return count


def downloads_pending(*, file_ids):
    keys = {_DOWNLOAD_KEY.format(pk): pk for pk in file_ids}
    found = cache.get_many(list(keys))
    return {keys[key]: int(value) for key, value in found.items() if value}


def downloads_flush(*, file_ids=None):
    """Move counted downloads from the cache to the database; return how many were moved."""
    if file_ids is None:
        file_ids = list(DocumentFile.objects.values_list("pk", flat=True))
    moved = 0
    for pk, count in downloads_pending(file_ids=file_ids).items():
        key = _DOWNLOAD_KEY.format(pk)
        # Decrement by what was read, not reset to zero: downloads counted meanwhile stay.
        try:
            cache.decr(key, count)
        except ValueError:
            continue
        DocumentFile.objects.filter(pk=pk).update(download_count=F("download_count") + count)
        moved += count
    return moved


# --- comments ---------------------------------------------------------------------------------


def comment_submit(*, draft, data):
    """Store a citizen's comment, waiting for moderation. ``data``: the form's cleaned data."""
    return DraftComment.objects.create(
        draft=draft,
        name=data["name"],
        organisation=data.get("organisation", ""),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        article_ref=data.get("article_ref", ""),
        body=data["body"],
        consent=True,
    )


def comments_moderate(*, comments, status, user, reason="", merged_into=None):
    """Publish, reject (with an internal reason) or merge comments; return how many changed."""
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        for comment in comments:
            if merged_into is not None and comment.pk == merged_into.pk:
                continue
            comment.status = status
            comment.moderated_at = now
            comment.moderated_by = user
            if status == DraftComment.Status.REJECTED:
                comment.reject_reason = reason
            if status == DraftComment.Status.MERGED:
                comment.merged_into = merged_into
            comment.full_clean()
            comment.save()
            changed += 1
    return changed


# --- open data --------------------------------------------------------------------------------

OPEN_DATA_FIELDS = [
    ("so_ky_hieu", "Số, ký hiệu"),
    ("hinh_thuc", "Hình thức văn bản"),
    ("co_quan_ban_hanh", "Cơ quan ban hành"),
    ("nguoi_ky", "Người ký"),
    ("chuc_vu_nguoi_ky", "Chức vụ người ký"),
    ("ngay_ban_hanh", "Ngày ban hành"),
    ("ngay_hieu_luc", "Ngày có hiệu lực"),
    ("ngay_het_hieu_luc", "Ngày hết hiệu lực"),
    ("tinh_trang", "Mã tình trạng hiệu lực"),
    ("tinh_trang_mo_ta", "Tình trạng hiệu lực"),
    ("linh_vuc", "Lĩnh vực"),
    ("trich_yeu", "Trích yếu"),
    ("duong_dan", "Đường dẫn"),
]


def _iso(value):
    return value.isoformat() if isinstance(value, datetime.date) else ""


def open_data_rows(*, base_url, today=None):
    """One dict per published document, metadata only, in three queries whatever the count."""
    today = today or timezone.localdate()
    documents = (
        Document.objects.published()
        .select_related("doc_type", "issuer")
        .prefetch_related("co_issuers", "fields")
        .defer("body", "search_text")
        .order_by("-issued_on", "-id")
    )
    for doc in documents.iterator(chunk_size=500):
        status = doc.effective_status(today)
        issuers = [doc.issuer.name, *(i.name for i in doc.co_issuers.all())]
        yield {
            "so_ky_hieu": doc.number,
            "hinh_thuc": doc.doc_type.name,
            "co_quan_ban_hanh": "; ".join(issuers),
            "nguoi_ky": doc.signer_name,
            "chuc_vu_nguoi_ky": doc.signer_title,
            "ngay_ban_hanh": _iso(doc.issued_on),
            "ngay_hieu_luc": _iso(doc.effective_on),
            "ngay_het_hieu_luc": _iso(doc.expires_on),
            "tinh_trang": status,
            "tinh_trang_mo_ta": str(Document.label_of_status(status)),
            "linh_vuc": "; ".join(f.name for f in doc.fields.all()),
            "trich_yeu": doc.summary,
            "duong_dan": base_url + doc.get_absolute_url(),
        }


def open_data_csv_chunks(*, rows):
    """CSV bytes: UTF-8 with BOM (Excel shows Vietnamese), every cell through the portal's one
    cell-safety rule (portal.spreadsheets)."""
    import csv
    import io

    from portal.spreadsheets import csv_row

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([label for _key, label in OPEN_DATA_FIELDS])
    for n, row in enumerate(rows, 1):
        writer.writerow(csv_row(row[key] for key, _label in OPEN_DATA_FIELDS))
        if n % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def open_data_json(*, rows):
    return json.dumps(
        {"fields": dict(OPEN_DATA_FIELDS), "documents": list(rows)}, ensure_ascii=False, indent=1
    )


# --- home page --------------------------------------------------------------------------------


def home_block_context():
    """“Văn bản mới” for the home page: one query, run only when its cached fragment is
    rendered."""
    latest = Document.objects.published().for_listing().order_by("-published_at", "-id")
    return {"latest_documents": SimpleLazyObject(lambda: list(latest[:HOME_BLOCK_SIZE]))}
