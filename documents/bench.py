"""The documents registry of ``manage.py bench``: the demo registry grown to a province's size.

``populate()`` adds ``BENCH_DOCUMENTS`` decisions, plans and official letters of the
provincial people's committee (saved one by one, as staff would: number forms, search words
and slugs computed by the model) and returns what the pages need: a demo document's slug and
a number to search for.
"""

import datetime
import os

from django.db import transaction
from django.utils import timezone

from documents.models import Document, DocumentType, Field, Issuer

DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "2000"))

KINDS = [("Quyết định", "QĐ-UBND"), ("Kế hoạch", "KH-UBND"), ("Công văn", "UBND-VX"),
         ("Thông báo", "TB-UBND"), ("Chỉ thị", "CT-UBND")]  # fmt: skip
SUBJECTS = [
    "về việc kiện toàn Ban chỉ đạo chuyển đổi số của tỉnh",
    "triển khai công tác phòng, chống thiên tai và tìm kiếm cứu nạn",
    "ban hành quy chế quản lý cổng thông tin điện tử của tỉnh",
    "tổ chức kỳ thi tốt nghiệp trung học phổ thông trên địa bàn tỉnh",
    "khen thưởng các tập thể, cá nhân có thành tích trong phong trào thi đua",
    "phê duyệt kế hoạch sử dụng đất cấp huyện",
]


def populate():
    issuer = Issuer.objects.filter(slug="uy-ban-nhan-dan-tinh").first() or Issuer.objects.first()
    types = {t.name: t for t in DocumentType.objects.all()}
    fields = list(Field.objects.all())
    demo = Document.objects.filter(is_demo=True).order_by("-issued_on", "pk").first()
    start = datetime.date(2016, 1, 4)
    existing = Document.objects.filter(is_demo=False).count()
    with transaction.atomic():
        for index in range(existing, DOCUMENTS):
            type_name, suffix = KINDS[index % len(KINDS)]
            issued = start + datetime.timedelta(days=index * 3650 // max(DOCUMENTS, 1))
            document = Document(
                doc_type=types.get(type_name) or next(iter(types.values())),
                number=f"{index + 101}/{suffix}",
                issuer=issuer,
                issued_on=issued,
                effective_on=issued,
                summary=f"{type_name} {SUBJECTS[index % len(SUBJECTS)]} (số {index + 101})",
                signer_name="Nguyễn Văn Thanh",
                signer_title="KT. Chủ tịch – Phó Chủ tịch",
                published_at=timezone.make_aware(
                    datetime.datetime.combine(issued, datetime.time(8))
                ),
            )
            document.save()
            if fields:
                document.fields.add(fields[index % len(fields)])
    middle = DOCUMENTS // 2 // len(KINDS) * len(KINDS)  # a decision (QĐ) halfway through
    return {"document": demo.slug if demo else "", "document_number": f"{middle + 101}/QĐ-UBND"}
