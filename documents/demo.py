"""Demo documents: the portal decree, the election directive and law, the province's decisions.

National documents carry their real numbers and dates; the summaries are written here in our
own words. Provincial numbers, the draft and the comments are illustrative and marked
``is_demo``. Every attached file is a generated placeholder PDF that says so.

Idempotent: a second run finds everything in place and writes nothing.
"""

import datetime

from django.utils import timezone

from articles.demo import SEED_SLUG
from articles.models import Article
from awards.models import Decision
from documents.models import (
    Document,
    DocumentFile,
    DocumentRelation,
    DocumentType,
    Draft,
    DraftComment,
    Field,
    Issuer,
)
from documents.roles import CLERKS, MODERATORS
from portal.demo import placeholder_pdf

DEMO_ACCOUNTS = [
    ("vanthu", [CLERKS], False, "Trần Thị Thu"),
    ("duyetgopy", [MODERATORS], False, "Nguyễn Văn Hòa"),
]

TYPES = ["Luật", "Nghị quyết", "Nghị định", "Quyết định", "Chỉ thị", "Thông tư", "Kế hoạch",
         "Công văn", "Thông báo"]  # fmt: skip

ISSUERS = [
    # (slug, name, short name)
    ("quoc-hoi", "Quốc hội", "Quốc hội"),
    ("chinh-phu", "Chính phủ", "Chính phủ"),
    ("bo-chinh-tri", "Bộ Chính trị", "BCT"),
    ("ban-thuong-vu-tinh-uy", "Ban Thường vụ Tỉnh ủy", "BTV Tỉnh ủy"),
    ("uy-ban-nhan-dan-tinh", "Ủy ban nhân dân tỉnh", "UBND tỉnh"),
]

FIELDS = [
    # (slug, name, parent slug)
    ("to-chuc-bo-may", "Tổ chức bộ máy", None),
    ("bau-cu", "Bầu cử", "to-chuc-bo-may"),
    ("thi-dua-khen-thuong", "Thi đua, khen thưởng", "to-chuc-bo-may"),
    ("cong-nghe-thong-tin", "Công nghệ thông tin", None),
    ("cong-thong-tin-dien-tu", "Cổng thông tin điện tử", "cong-nghe-thong-tin"),
    ("tai-nguyen-moi-truong", "Tài nguyên và môi trường", None),
    ("giao-duc", "Giáo dục và đào tạo", None),
]

D = datetime.date
DOCUMENTS = [
    {
        "slug": "nghi-dinh-43-2011-nd-cp",
        "type": "Nghị định", "number": "43/2011/NĐ-CP", "issuer": "chinh-phu",
        "issued_on": D(2011, 6, 13), "effective_on": D(2011, 8, 1), "expires_on": D(2022, 8, 15),
        "status": Document.Status.EXPIRED, "fields": ["cong-thong-tin-dien-tu"],
        "summary": "Quy định việc cung cấp thông tin và dịch vụ công trực tuyến trên trang thông "
        "tin điện tử hoặc cổng thông tin điện tử của cơ quan nhà nước.",
    },
    {
        "slug": "nghi-dinh-42-2022-nd-cp",
        "type": "Nghị định", "number": "42/2022/NĐ-CP", "issuer": "chinh-phu",
        "issued_on": D(2022, 6, 24), "effective_on": D(2022, 8, 15),
        "fields": ["cong-thong-tin-dien-tu"],
        "summary": "Quy định về việc cơ quan nhà nước cung cấp thông tin và dịch vụ công trực "
        "tuyến trên môi trường mạng: nội dung phải công khai trên cổng thông tin điện tử (trong "
        "đó có văn bản quy phạm pháp luật kèm công cụ tra cứu), chức năng cơ bản và việc bảo "
        "đảm hoạt động của cổng.",
        "relations": [(DocumentRelation.Kind.REPLACES, "nghi-dinh-43-2011-nd-cp")],
    },
    {
        "slug": "chi-thi-45-ct-tw",
        "type": "Chỉ thị", "number": "45-CT/TW", "issuer": "bo-chinh-tri",
        "issued_on": D(2020, 6, 20), "effective_on": D(2020, 6, 20), "fields": ["bau-cu"],
        "summary": "Về lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XV và bầu cử đại biểu Hội "
        "đồng nhân dân các cấp nhiệm kỳ 2021 - 2026.",
        "article": True, "awards": True,
    },
    {
        "slug": "luat-bau-cu-85-2015-qh13",
        "type": "Luật", "number": "85/2015/QH13", "issuer": "quoc-hoi",
        "issued_on": D(2015, 6, 25), "effective_on": D(2015, 9, 1), "fields": ["bau-cu"],
        "summary": "Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân: nguyên tắc, "
        "tổ chức phụ trách bầu cử, ứng cử, danh sách cử tri, bỏ phiếu và kết quả bầu cử.",
        "awards": True,
    },
    {
        "slug": "minh-hoa-quyet-dinh-1436-qd-ubnd-2021",
        "type": "Quyết định", "number": "1436/QĐ-UBND", "issuer": "uy-ban-nhan-dan-tinh",
        "issued_on": D(2021, 6, 22), "effective_on": D(2021, 6, 22),
        "fields": ["thi-dua-khen-thuong", "bau-cu"],
        "signer": ("Người ký minh họa", "Chủ tịch"),
        "summary": "Về việc tặng Bằng khen cho các tập thể, cá nhân có thành tích xuất sắc trong "
        "công tác bầu cử năm 2021 (minh họa).",
        "award_numbers": ["1436/QĐ-UBND"],
        "relations": [(DocumentRelation.Kind.RELATED, "chi-thi-45-ct-tw")],
    },
    {
        "slug": "minh-hoa-quyet-dinh-901-qd-tu-2021",
        "type": "Quyết định", "number": "901-QĐ/TU", "issuer": "ban-thuong-vu-tinh-uy",
        "issued_on": D(2021, 6, 23), "effective_on": D(2021, 6, 23),
        "fields": ["thi-dua-khen-thuong", "bau-cu"],
        "signer": ("Người ký minh họa", "T/M Ban Thường vụ, Bí thư"),
        "summary": "Về việc tặng Bằng khen cho các tập thể, cá nhân có thành tích xuất sắc trong "
        "lãnh đạo cuộc bầu cử năm 2021 (minh họa).",
        "award_numbers": ["901-QĐ/TU"],
        "relations": [(DocumentRelation.Kind.RELATED, "chi-thi-45-ct-tw")],
    },
    {
        "slug": "minh-hoa-ke-hoach-150-kh-ubnd-2022",
        "type": "Kế hoạch", "number": "150/KH-UBND", "issuer": "uy-ban-nhan-dan-tinh",
        "issued_on": D(2022, 9, 5), "effective_on": D(2022, 9, 5),
        "fields": ["cong-thong-tin-dien-tu"],
        "signer": ("Người ký minh họa", "KT. Chủ tịch – Phó Chủ tịch"),
        "summary": "Triển khai Nghị định 42/2022/NĐ-CP trên Cổng thông tin điện tử tỉnh và "
        "trang thông tin điện tử của các sở, ngành (minh họa).",
        "relations": [(DocumentRelation.Kind.GUIDES, "nghi-dinh-42-2022-nd-cp")],
    },
    {
        "slug": "minh-hoa-quyet-dinh-2105-qd-ubnd-2022",
        "type": "Quyết định", "number": "2105/QĐ-UBND", "issuer": "uy-ban-nhan-dan-tinh",
        "issued_on": D(2022, 11, 10), "effective_on": D(2022, 11, 25),
        "status": Document.Status.PARTLY_EXPIRED, "fields": ["cong-thong-tin-dien-tu"],
        "summary": "Ban hành Quy chế quản lý, vận hành Cổng thông tin điện tử tỉnh (minh họa).",
    },
    {
        "slug": "minh-hoa-chi-thi-04-ct-ubnd-2024",
        "type": "Chỉ thị", "number": "04/CT-UBND", "issuer": "uy-ban-nhan-dan-tinh",
        "issued_on": D(2024, 2, 20), "effective_on": D(2024, 2, 20),
        "fields": ["tai-nguyen-moi-truong"],
        "summary": "Về tăng cường phòng cháy, chữa cháy rừng trong mùa khô năm 2024 (minh họa).",
    },
    {
        "slug": "minh-hoa-ke-hoach-88-kh-ubnd-2025",
        "type": "Kế hoạch", "number": "88/KH-UBND", "issuer": "uy-ban-nhan-dan-tinh",
        "issued_on": D(2025, 4, 8), "effective_on": D(2025, 4, 8), "fields": ["giao-duc"],
        "summary": "Tổ chức kỳ thi tuyển sinh vào lớp 10 trung học phổ thông năm học 2025 - "
        "2026 (minh họa).",
    },
]  # fmt: skip

DRAFT_SLUG = "minh-hoa-du-thao-quy-che-cong-thong-tin-dien-tu-tinh"
CLOSED_DRAFT_SLUG = "minh-hoa-du-thao-quy-dinh-tiep-nhan-phan-anh-kien-nghi"
COMMENTS = [
    # (name, organisation, article, body, status, reason)
    ("Nguyễn Thị Lan", "", "Điều 5", "Đề nghị quy định rõ thời hạn cập nhật văn bản mới lên "
     "cổng, ví dụ trong 02 ngày làm việc kể từ ngày ký.", DraftComment.Status.PUBLISHED, ""),
    ("Trần Văn Bình", "Hội Luật gia tỉnh", "Điều 9, khoản 2", "Nên bổ sung việc công khai "
     "báo cáo tiếp thu, giải trình sau mỗi đợt lấy ý kiến.", DraftComment.Status.PUBLISHED, ""),
    ("Lê Minh Đức", "", "", "Cổng cần có bản tiếng Anh cho phần giới thiệu cơ cấu tổ chức.",
     DraftComment.Status.PUBLISHED, ""),
    ("Phạm Thu Hà", "", "Điều 3", "Góp ý đang chờ cán bộ xem xét (minh họa).",
     DraftComment.Status.PENDING, ""),
    ("Người gửi minh họa", "", "", "Nội dung quảng cáo không liên quan đến dự thảo.",
     DraftComment.Status.REJECTED, "Không liên quan đến nội dung dự thảo (quảng cáo)."),
]  # fmt: skip


def _sync(model, lookup, fields):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **fields)
        obj.full_clean()
        obj.save()
        return obj, True
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, fields[name])
        obj.full_clean()
        obj.save()
    return obj, bool(changed)


def _attach_placeholder(*, owner_field, owner, name, lines):
    if owner.files.exists():
        return
    item = DocumentFile(**{owner_field: owner}, display_name=name, is_demo=True)
    item.file = placeholder_pdf(lines)
    item.full_clean()
    item.save()


def load(stdout=None):
    types = {}
    for order, name in enumerate(TYPES):
        types[name], _ = _sync(DocumentType, {"name": name}, {"order": order})
    issuers = {}
    for order, (slug, name, short) in enumerate(ISSUERS):
        issuers[slug], _ = _sync(
            Issuer, {"slug": slug}, {"name": name, "short_name": short, "order": order}
        )
    fields = {}
    for order, (slug, name, parent) in enumerate(FIELDS):
        fields[slug], _ = _sync(
            Field, {"slug": slug}, {"name": name, "parent": fields.get(parent), "order": order}
        )
    article = Article.objects.filter(slug=SEED_SLUG).first()
    award_decisions = list(Decision.objects.awards().filter(is_demo=True))
    documents = {}
    for spec in DOCUMENTS:
        signer_name, signer_title = spec.get("signer", ("", ""))
        doc, _ = _sync(
            Document,
            {"slug": spec["slug"]},
            {
                "doc_type": types[spec["type"]],
                "number": spec["number"],
                "issuer": issuers[spec["issuer"]],
                "issued_on": spec["issued_on"],
                "effective_on": spec.get("effective_on"),
                "expires_on": spec.get("expires_on"),
                "status": spec.get("status", Document.Status.IN_FORCE),
                "summary": spec["summary"],
                "signer_name": signer_name,
                "signer_title": signer_title,
                "is_demo": True,
                "published_at": timezone.make_aware(
                    datetime.datetime.combine(spec["issued_on"], datetime.time(9))
                ),
            },
        )
        documents[spec["slug"]] = doc
        wanted_fields = {fields[s].pk for s in spec["fields"]}
        if set(doc.fields.values_list("pk", flat=True)) != wanted_fields:
            doc.fields.set(wanted_fields)
        if spec.get("article") and article and not doc.articles.filter(pk=article.pk).exists():
            doc.articles.add(article)
        linked = [d for d in award_decisions if spec.get("awards")]
        linked += [d for d in award_decisions if d.number in spec.get("award_numbers", [])]
        missing = [d for d in linked if not doc.award_decisions.filter(pk=d.pk).exists()]
        if missing:
            doc.award_decisions.add(*missing)
        _attach_placeholder(
            owner_field="document",
            owner=doc,
            name=f"{spec['type']} {spec['number'].replace('/', '-')}.pdf",
            lines=[f"{spec['type']} {spec['number']}", spec["summary"][:80]],
        )
    for spec in DOCUMENTS:
        for kind, target in spec.get("relations", []):
            DocumentRelation.objects.get_or_create(
                source=documents[spec["slug"]], kind=kind, target=documents[target]
            )
    _load_drafts(types=types, documents=documents)
    if stdout is not None:
        stdout.write(
            f"Văn bản: {Document.objects.filter(is_demo=True).count()} văn bản minh họa, "
            f"{Draft.objects.filter(is_demo=True).count()} dự thảo, "
            f"{DraftComment.objects.filter(is_demo=True).count()} góp ý."
        )


def _load_drafts(*, types, documents):
    now = timezone.now()
    draft = Draft.objects.filter(slug=DRAFT_SLUG).first()
    if draft is None:
        # Open when the demo is loaded: from ten days ago to twenty days ahead.
        draft = Draft(
            slug=DRAFT_SLUG,
            title="Dự thảo Quyết định sửa đổi Quy chế quản lý, vận hành Cổng thông tin điện tử "
            "tỉnh (minh họa)",
            doc_type=types["Quyết định"],
            drafting_unit="Sở Khoa học và Công nghệ",
            contact="Phòng Công nghệ thông tin, Sở Khoa học và Công nghệ (minh họa)",
            explanation="<p>Dự thảo cập nhật Quy chế theo Nghị định 42/2022/NĐ-CP: thời hạn "
            "đăng văn bản, trách nhiệm cung cấp thông tin của các sở, ngành và việc lấy ý kiến "
            "trên cổng. Xin ý kiến về Điều 3, Điều 5 và Điều 9.</p>",
            opens_at=now - datetime.timedelta(days=10),
            closes_at=now + datetime.timedelta(days=20),
            is_demo=True,
        )
        draft.full_clean()
        draft.save()
    _attach_placeholder(
        owner_field="draft",
        owner=draft,
        name="Dự thảo Quy chế Cổng thông tin điện tử tỉnh.pdf",
        lines=["Du thao Quy che Cong thong tin dien tu tinh"],
    )
    if not draft.comments.exists():
        for n, (name, org, ref, body, status, reason) in enumerate(COMMENTS):
            DraftComment.objects.create(
                draft=draft, name=name, organisation=org, article_ref=ref, body=body,
                status=status, reject_reason=reason, consent=True, is_demo=True,
                email=f"nguoi-gop-y-{n}@example.invalid",
                created_at=now - datetime.timedelta(days=9 - n),
                moderated_at=None if status == DraftComment.Status.PENDING else now,
            )  # fmt: skip
    if not Draft.objects.filter(slug=CLOSED_DRAFT_SLUG).exists():
        closed = Draft(
            slug=CLOSED_DRAFT_SLUG,
            title="Dự thảo Quy định tiếp nhận, xử lý phản ánh, kiến nghị của người dân trên "
            "cổng (minh họa)",
            doc_type=types["Quyết định"],
            drafting_unit="Văn phòng UBND tỉnh",
            opens_at=now - datetime.timedelta(days=120),
            closes_at=now - datetime.timedelta(days=60),
            report="<p>Đã nhận 0 ý kiến qua cổng; dự thảo được giữ nguyên (minh họa).</p>",
            document=documents["minh-hoa-quyet-dinh-2105-qd-ubnd-2022"],
            is_demo=True,
        )
        closed.full_clean()
        closed.save()
