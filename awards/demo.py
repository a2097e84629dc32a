"""Demo commendations: the three batches announced at the 25/6/2021 election summary.

The seed article gives only counts (20 collectives and 12 individuals by the Provincial Party
Standing Committee; 53 and 71 by the Provincial People's Committee; 3 and 3 proposed to the
Prime Minister). Decision numbers, dates, signers and every recipient name here are
illustrative and marked ``is_demo``. The People's Committee batch is deliberately left three
individuals short so that the reconciliation has something to show.

Idempotent: a second run finds everything in place and writes nothing (no history rows).
"""

import datetime

from articles.demo import SEED_SLUG
from articles.models import Article
from awards.models import Authority, AwardForm, Decision, Recipient
from awards.roles import AUDITORS, STAFF
from elections.demo import ELECTION_SLUG
from elections.models import Election

DEMO_ACCOUNTS = [
    ("khenthuong", [STAFF], False, "Phạm Thị Hồng"),
    ("kiemtoan", [AUDITORS], False, "Lê Quang Vinh"),
]

EVENT = "Cuộc bầu cử ĐBQH khóa XV và HĐND các cấp nhiệm kỳ 2021 - 2026"
REASON = (
    "Đã có thành tích xuất sắc trong lãnh đạo, chỉ đạo, chuẩn bị và tổ chức cuộc bầu cử đại biểu "
    "Quốc hội khóa XV và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2021 - 2026."
)

AUTHORITIES = [
    # (slug, name, short name, kind, order)
    ("ban-thuong-vu-tinh-uy", "Ban Thường vụ Tỉnh ủy", "BTV Tỉnh ủy", Authority.Kind.PARTY, 1),
    ("uy-ban-nhan-dan-tinh", "Ủy ban nhân dân tỉnh", "UBND tỉnh", Authority.Kind.STATE, 2),
    ("chu-tich-ubnd-tinh", "Chủ tịch Ủy ban nhân dân tỉnh", "Chủ tịch UBND tỉnh",
     Authority.Kind.STATE, 3),
    ("thu-tuong-chinh-phu", "Thủ tướng Chính phủ", "Thủ tướng", Authority.Kind.STATE, 4),
]  # fmt: skip

FORMS = [
    ("bang-khen", "Bằng khen", 1),
    ("giay-khen", "Giấy khen", 2),
    ("huan-chuong-lao-dong-hang-ba", "Huân chương Lao động hạng Ba", 3),
]

DECISIONS = [
    {
        "slug": "minh-hoa-btv-tinh-uy-khen-thuong-bau-cu-2021",
        "title": "Về việc tặng Bằng khen cho các tập thể, cá nhân có thành tích xuất sắc trong "
        "lãnh đạo cuộc bầu cử ĐBQH khóa XV và HĐND các cấp (minh họa)",
        "authority": "ban-thuong-vu-tinh-uy",
        "form": "bang-khen",
        "status": Decision.Status.DECIDED,
        "number": "901-QĐ/TU",
        "date": datetime.date(2021, 6, 23),
        "signer_name": "Người ký minh họa",
        "signer_title": "T/M Ban Thường vụ, Bí thư",
        "declared": (20, 12),
        "recorded": (20, 12),
    },
    {
        "slug": "minh-hoa-ubnd-tinh-khen-thuong-bau-cu-2021",
        "title": "Về việc tặng Bằng khen của Chủ tịch UBND tỉnh cho các tập thể, cá nhân có thành "
        "tích xuất sắc trong công tác bầu cử năm 2021 (minh họa)",
        # Bằng khen cấp tỉnh is given by the Chairman (Luật Thi đua, khen thưởng), as the
        # title says: filed under that authority, not the People's Committee as a body.
        "authority": "chu-tich-ubnd-tinh",
        "form": "bang-khen",
        "status": Decision.Status.DECIDED,
        "number": "1436/QĐ-UBND",
        "date": datetime.date(2021, 6, 22),
        "signer_name": "Người ký minh họa",
        "signer_title": "Chủ tịch",
        "declared": (53, 71),
        "recorded": (53, 68),  # three short on purpose: the reconciliation shows it
    },
    {
        "slug": "minh-hoa-de-nghi-thu-tuong-tang-bang-khen-bau-cu-2021",
        "title": "Đề nghị Thủ tướng Chính phủ tặng Bằng khen cho các tập thể, cá nhân có thành "
        "tích xuất sắc trong cuộc bầu cử năm 2021 (minh họa)",
        "authority": "thu-tuong-chinh-phu",
        "proposed_by": "uy-ban-nhan-dan-tinh",
        "form": "bang-khen",
        "status": Decision.Status.PROPOSED,
        "proposal_number": "1134/TTr-UBND",
        "proposal_date": datetime.date(2021, 6, 24),
        "declared": (3, 3),
        "recorded": (3, 3),
    },
]

_SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Đinh", "Ngô"]
_MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quang", "Thanh", "Đức", "Ngọc"]
_GIVEN = ["An", "Ánh", "Ân", "Bình", "Chiến", "Dũng", "Đức", "Giang", "Hà", "Hạnh", "Hải",
          "Hùng", "Lan", "Long", "Mai", "Nam", "Oanh", "Phúc", "Quý", "Sơn", "Tâm", "Thủy",
          "Uyên", "Vân", "Yến", "Ăn", "Đào"]  # fmt: skip
_COLLECTIVE_KINDS = [
    "Ủy ban Bầu cử cấp huyện",
    "Ban bầu cử cấp xã",
    "Tổ bầu cử",
    "Phòng, ban chuyên môn",
    "Lực lượng bảo đảm an ninh khu vực bỏ phiếu",
]
_POSITIONS = ["Tổ trưởng Tổ bầu cử", "Thư ký Tổ bầu cử", "Chuyên viên", "Trưởng ban", "Cán bộ"]


def _collective(n, seed):
    kind = _COLLECTIVE_KINDS[(n + seed) % len(_COLLECTIVE_KINDS)]
    return {
        "name": f"Tập thể minh họa số {n:02d} – {kind}",
        "position": "",
        "unit": f"Đơn vị minh họa {((n + seed) % 6) + 1}",
    }


def _individual(n, seed):
    i = n + seed * 7
    surname = _SURNAMES[i % len(_SURNAMES)]
    middle = _MIDDLE[(i * 3) % len(_MIDDLE)]
    given = _GIVEN[(i * 5) % len(_GIVEN)]
    return {
        "name": f"{surname} {middle} {given}",
        "position": f"{_POSITIONS[i % len(_POSITIONS)]} (minh họa)",
        "unit": f"Đơn vị minh họa {(i % 6) + 1}",
    }


def _sync(model, lookup, fields):
    """Create the row, or update only the fields that differ; report whether it wrote."""
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


def load(stdout=None):
    authorities = {}
    for slug, name, short, kind, order in AUTHORITIES:
        authorities[slug], _ = _sync(
            Authority, {"slug": slug}, {"name": name, "short_name": short, "kind": kind,
                                        "order": order}
        )  # fmt: skip
    forms = {}
    for slug, name, order in FORMS:
        forms[slug], _ = _sync(AwardForm, {"slug": slug}, {"name": name, "order": order})
    article = Article.objects.filter(slug=SEED_SLUG).first()
    election = Election.objects.filter(slug=ELECTION_SLUG).first()

    created = 0
    for seed, spec in enumerate(DECISIONS):
        fields = {
            "title": spec["title"],
            "authority": authorities[spec["authority"]],
            "proposed_by": authorities.get(spec.get("proposed_by")),
            "form": forms[spec["form"]],
            "status": spec["status"],
            "number": spec.get("number", ""),
            "date": spec.get("date"),
            "proposal_number": spec.get("proposal_number", ""),
            "proposal_date": spec.get("proposal_date"),
            "signer_name": spec.get("signer_name", ""),
            "signer_title": spec.get("signer_title", ""),
            "reason": REASON,
            "event": EVENT,
            "article": article,
            "election": election,
            "declared_collectives": spec["declared"][0],
            "declared_individuals": spec["declared"][1],
            "is_demo": True,
        }
        decision, _ = _sync(Decision, {"slug": spec["slug"]}, fields)
        existing = set(decision.recipients.values_list("kind", "order"))
        wanted = [(Recipient.Kind.COLLECTIVE, n, _collective(n, seed))
                  for n in range(1, spec["recorded"][0] + 1)]  # fmt: skip
        wanted += [(Recipient.Kind.INDIVIDUAL, n, _individual(n, seed))
                   for n in range(1, spec["recorded"][1] + 1)]  # fmt: skip
        for kind, order, data in wanted:
            if (kind, order) in existing:
                continue
            Recipient.objects.create(decision=decision, kind=kind, order=order, is_demo=True,
                                     **data)  # fmt: skip
            created += 1
    if stdout is not None:
        stdout.write(
            f"Khen thưởng: {Decision.objects.filter(is_demo=True).count()} quyết định minh họa, "
            f"{Recipient.objects.filter(is_demo=True).count()} tập thể/cá nhân "
            f"({created} mới)."
        )
