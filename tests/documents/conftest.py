import datetime
import io
import itertools
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.models import Document, DocumentFile, DocumentType, Draft, DraftComment, Issuer
from portal.demo import placeholder_pdf

_n = itertools.count(1)


def pdf_upload(name="Nghị định 42.pdf"):
    return SimpleUploadedFile(name, placeholder_pdf(["thử"]).read(), content_type="application/pdf")


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes():
    return zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


def make_document(*, doc_type="Nghị định", issuer="Chính phủ", number=None, **fields):
    n = next(_n)
    kind = DocumentType.objects.get_or_create(name=doc_type)[0]
    body = Issuer.objects.get_or_create(name=issuer)[0]
    fields.setdefault("issued_on", datetime.date(2022, 6, 24))
    fields.setdefault("summary", f"Quy định thử số {n} về cổng thông tin điện tử")
    doc = Document(doc_type=kind, issuer=body, number=number or f"{n}/2022/NĐ-CP", **fields)
    doc.full_clean()
    doc.save()
    return doc


def attach_pdf(owner, **fields):
    key = "draft" if isinstance(owner, Draft) else "document"
    item = DocumentFile(**{key: owner}, file=pdf_upload(), **fields)
    item.full_clean()
    item.save()
    return item


def make_draft(*, open_for=datetime.timedelta(days=10), **fields):
    now = timezone.now()
    kind = DocumentType.objects.get_or_create(name="Quyết định")[0]
    fields.setdefault("title", f"Dự thảo Quy chế thử {next(_n)}")
    fields.setdefault("opens_at", now - datetime.timedelta(days=1))
    fields.setdefault("closes_at", now + open_for)
    draft = Draft(doc_type=kind, drafting_unit="Sở Tư pháp", **fields)
    draft.full_clean()
    draft.save()
    return draft


def make_comment(draft, **fields):
    fields.setdefault("name", "Nguyễn Thị Lan")
    fields.setdefault("body", "Đề nghị sửa Điều 5.")
    fields.setdefault("email", "lan.nguyen@example.com")
    fields.setdefault("phone", "0912 345 678")
    return DraftComment.objects.create(draft=draft, consent=True, **fields)


@pytest.fixture
def document(db):
    return make_document(number="42/2022/NĐ-CP", summary="Quy định về cung cấp thông tin")
