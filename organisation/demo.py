"""Demo introduction pages, units, contact officials and contact details (all marked demo).

Names of people, phone numbers and addresses are invented; the agencies are the usual ones of
a provincial People's Committee. Some records have an English version, some deliberately do
not, so that the Vietnamese fallback shows on /en/.

Idempotent: a second run finds everything in place and writes nothing.
"""

from organisation.models import AgencyLink, IntroPage, Official, SiteContact, Unit
from organisation.roles import EDITORS

DEMO_ACCOUNTS = [("tochuc", [EDITORS], False, "Trần Thu Hà")]

PAGES = [
    # (slug, parent slug, order, title vi, title en, summary vi, body vi, body en)
    (
        "gioi-thieu-chung", None, 1, "Giới thiệu chung", "Overview",
        "Vị trí, diện tích, dân số và đơn vị hành chính của tỉnh (minh họa).",
        "<p>Tỉnh nằm ở phía nam vùng đồng bằng sông Hồng, là cửa ngõ phía nam của Thủ đô. "
        "Đây là trang minh họa: số liệu chỉ để trình diễn cổng thông tin.</p>"
        "<h2>Đơn vị hành chính</h2><p>Tỉnh có các phường, xã trực thuộc; danh sách đầy đủ "
        "được cập nhật theo nghị quyết sắp xếp đơn vị hành chính.</p>",
        "<p>The province lies in the south of the Red River Delta, the southern gateway to the "
        "capital. This is a demo page: figures are for demonstration only.</p>",
    ),
    (
        "lich-su-hinh-thanh", "gioi-thieu-chung", 1, "Lịch sử hình thành và phát triển", "",
        "Các mốc thành lập và tái lập tỉnh (minh họa).",
        "<p>Tỉnh được thành lập cuối thế kỷ XIX, nhiều lần hợp nhất rồi tái lập. Trang minh "
        "họa này tóm tắt các mốc chính để cán bộ thay bằng nội dung chính thức.</p>",
        "",
    ),
    (
        "chuc-nang-nhiem-vu", None, 2, "Chức năng, nhiệm vụ của UBND tỉnh",
        "Functions and duties of the Provincial People's Committee",
        "Theo Luật Tổ chức chính quyền địa phương (minh họa).",
        "<p>Ủy ban nhân dân tỉnh là cơ quan chấp hành của Hội đồng nhân dân tỉnh, cơ quan hành "
        "chính nhà nước ở địa phương, chịu trách nhiệm trước Hội đồng nhân dân tỉnh và cơ quan "
        "nhà nước cấp trên.</p><ul><li>Xây dựng, trình HĐND tỉnh quyết định các nội dung thuộc "
        "thẩm quyền.</li><li>Tổ chức thực hiện ngân sách địa phương.</li></ul>",
        "<p>The Provincial People's Committee is the executive body of the Provincial People's "
        "Council and the local state administrative body.</p>",
    ),
]  # fmt: skip

UNITS = [
    # (slug, parent slug, kind, order, name vi, name en, head position vi, head name,
    #  functions vi, address, phone, email, website)
    (
        "ubnd-tinh", None, Unit.Kind.LEADERSHIP, 1, "Ủy ban nhân dân tỉnh",
        "Provincial People's Committee", "Chủ tịch", "Người đứng đầu minh họa",
        "<p>Quản lý nhà nước trên địa bàn tỉnh.</p>", "Số 1 đường Minh Họa, thành phố tỉnh lỵ",
        "0226 3000 001", "ubnd@example.gov.vn", "",
    ),
    (
        "van-phong-ubnd-tinh", "ubnd-tinh", Unit.Kind.DEPARTMENT, 1, "Văn phòng UBND tỉnh",
        "Office of the Provincial People's Committee", "Chánh Văn phòng", "Lê Văn Minh Họa",
        "<p>Tham mưu tổng hợp, kiểm soát thủ tục hành chính, quản lý Cổng thông tin điện tử "
        "tỉnh.</p>",
        "Số 1 đường Minh Họa, thành phố tỉnh lỵ", "0226 3000 002", "vanphong@example.gov.vn", "",
    ),
    (
        "so-noi-vu", "ubnd-tinh", Unit.Kind.DEPARTMENT, 2, "Sở Nội vụ",
        "Department of Home Affairs", "Giám đốc", "Phạm Thị Minh Họa",
        "<p>Tổ chức bộ máy, công chức, viên chức; thi đua, khen thưởng; chính quyền địa "
        "phương.</p>",
        "Số 5 đường Minh Họa, thành phố tỉnh lỵ", "0226 3000 005", "snv@example.gov.vn",
        "https://snv.example.gov.vn/",
    ),
    (
        "so-khoa-hoc-cong-nghe", "ubnd-tinh", Unit.Kind.DEPARTMENT, 3,
        "Sở Khoa học và Công nghệ", "", "Giám đốc", "Hoàng Văn Minh Họa",
        "<p>Khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số, bưu chính, viễn thông.</p>",
        "Số 9 đường Minh Họa, thành phố tỉnh lỵ", "0226 3000 009", "skhcn@example.gov.vn", "",
    ),
    (
        "ubnd-phuong-minh-hoa", "ubnd-tinh", Unit.Kind.LOCAL, 4, "UBND phường Minh Họa", "",
        "Chủ tịch", "Đỗ Thị Minh Họa", "", "Số 2 phố Minh Họa", "0226 3000 101",
        "phuongminhhoa@example.gov.vn", "",
    ),
]  # fmt: skip

OFFICIALS = [
    # (unit slug, order, name, position vi, position en, phone, email)
    ("van-phong-ubnd-tinh", 1, "Nguyễn Thị Minh Họa", "Phó Chánh Văn phòng, phụ trách Cổng "
     "thông tin điện tử", "Deputy Chief of Office, in charge of the portal", "0226 3000 012",
     "cong@example.gov.vn"),
    ("so-noi-vu", 1, "Vũ Văn Minh Họa", "Chánh Văn phòng Sở", "", "0226 3000 015",
     "vanphong.snv@example.gov.vn"),
    ("so-khoa-hoc-cong-nghe", 1, "Bùi Thị Minh Họa", "Trưởng phòng Chuyển đổi số",
     "Head of Digital Transformation", "0226 3000 019", "cds@example.gov.vn"),
]  # fmt: skip

CONTACT = {
    "agency_name_vi": "Ủy ban nhân dân tỉnh (minh họa)",
    "agency_name_en": "Provincial People's Committee (demo)",
    "responsible_person_vi": "Lê Văn Minh Họa – Chánh Văn phòng UBND tỉnh",
    "responsible_person_en": "Lê Văn Minh Họa – Chief of Office",
    "address_vi": "Số 1 đường Minh Họa, thành phố tỉnh lỵ",
    "address_en": "",
    "phone": "0226 3000 002",
    "hotline": "1900 0000",
    "fax": "0226 3000 099",
    "email": "congthongtin@example.gov.vn",
    "licence_vi": "Giấy phép số 00/GP-TTĐT (minh họa) do Sở Khoa học và Công nghệ cấp",
    "licence_en": "Licence No. 00/GP-TTĐT (demo)",
}

LINKS = [
    # (order, name vi, name en, url) — real public sites of central agencies.
    (1, "Cổng Thông tin điện tử Chính phủ", "Government Portal", "https://chinhphu.vn/"),
    (2, "Cổng Dịch vụ công quốc gia", "National Public Service Portal", "https://dichvucong.gov.vn/"),
    (3, "Cơ sở dữ liệu quốc gia về văn bản pháp luật", "", "https://vbpl.vn/"),
]  # fmt: skip


def _sync(model, lookup, values):
    """Create the row, or update it only where a value differs (no write when all match)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup)
        changed = True
    else:
        changed = any(getattr(obj, k) != v for k, v in values.items())
    if changed:
        for key, value in values.items():
            setattr(obj, key, value)
        if any(f.name == "is_demo" for f in model._meta.concrete_fields):
            obj.is_demo = True
        obj.save()
    return obj


def load(*, stdout=None):
    pages = {}
    for slug, parent, order, title_vi, title_en, summary, body_vi, body_en in PAGES:
        pages[slug] = _sync(
            IntroPage,
            {"slug": slug},
            {
                "parent": pages.get(parent),
                "order": order,
                "title_vi": title_vi,
                "title_en": title_en or None,
                "summary_vi": summary,
                "body_vi": body_vi,
                "body_en": body_en,
            },
        )
    units = {}
    for row in UNITS:
        slug, parent, kind, order, name_vi, name_en, head_pos, head, functions = row[:9]
        address, phone, email, website = row[9:]
        units[slug] = _sync(
            Unit,
            {"slug": slug},
            {
                "parent": units.get(parent),
                "kind": kind,
                "order": order,
                "name_vi": name_vi,
                "name_en": name_en or None,
                "head_position_vi": head_pos,
                "head_name": head,
                "functions_vi": functions,
                "address_vi": address,
                "phone": phone,
                "email": email,
                "website": website,
            },
        )
    for unit_slug, order, name, pos_vi, pos_en, phone, email in OFFICIALS:
        _sync(
            Official,
            {"unit": units[unit_slug], "name": name},
            {"order": order, "position_vi": pos_vi, "position_en": pos_en or None,
             "phone": phone, "email": email},
        )  # fmt: skip
    _sync(
        SiteContact,
        {"pk": 1},
        {k: (v or None) if k.endswith("_en") else v for k, v in CONTACT.items()},
    )
    for order, name_vi, name_en, url in LINKS:
        _sync(
            AgencyLink,
            {"url": url},
            {"order": order, "name_vi": name_vi, "name_en": name_en or None},
        )
    if stdout is not None:
        stdout.write(
            f"Giới thiệu: {len(PAGES)} trang, {len(UNITS)} đơn vị, {len(OFFICIALS)} cán bộ đầu mối"
        )
