"""Demo: the 23/5/2021 election of the seed article.

Real facts only from the seed: the election day, the directive, the steering board's head and
the members the article names with their titles at that time, the election committee's chair,
and the official turnout summary (99,47%; 604 of 777 polling areas at 100%). The electoral
units and candidates below are clearly illustrative (``is_demo`` and “minh họa” labels): no
per-area or per-candidate number here is real.
"""

import datetime
from decimal import Decimal

from articles.demo import SEED_SLUG
from articles.models import Article
from elections.models import (
    Body,
    Candidate,
    Contest,
    Election,
    ElectoralUnit,
    Membership,
    Person,
    TurnoutSummary,
    UnitResult,
)
from elections.roles import ELECTION_STAFF

DEMO_ACCOUNTS = [("baucu", [ELECTION_STAFF], False, "Vũ Thị Minh Hằng")]

ELECTION_SLUG = "bau-cu-dbqh-khoa-xv-va-hdnd-cac-cap-nhiem-ky-2021-2026"
RELATED_ARTICLES = [
    SEED_SLUG,
    "ngay-hoi-bau-cu-23-5-2021",
    "cong-bo-danh-sach-nguoi-trung-cu-hdnd-tinh",
]

CONTESTS = [
    (Contest.Kind.NATIONAL_ASSEMBLY, "khóa XV", 1),
    (Contest.Kind.PROVINCIAL_COUNCIL, "nhiệm kỳ 2021 - 2026", 2),
    (Contest.Kind.DISTRICT_COUNCIL, "nhiệm kỳ 2021 - 2026", 3),
    (Contest.Kind.COMMUNE_COUNCIL, "nhiệm kỳ 2021 - 2026", 4),
]

BODIES = [
    # (order, type, name, members: (person, role, titles, order))
    (
        1,
        Body.Type.STEERING_BOARD,
        "Ban Chỉ đạo bầu cử tỉnh",
        [
            (
                "Lê Thị Thủy",
                Membership.Role.HEAD,
                [
                    "Ủy viên Trung ương Đảng",
                    "Bí thư Tỉnh ủy",
                    "Trưởng đoàn ĐBQH tỉnh Hà Nam khóa XIV",
                    "Trưởng Ban Chỉ đạo bầu cử tỉnh",
                ],
                1,
            ),
            ("Đinh Thị Lụa", Membership.Role.MEMBER, ["Phó Bí thư Thường trực Tỉnh ủy"], 1),
            (
                "Trương Quốc Huy",
                Membership.Role.MEMBER,
                ["Phó Bí thư Tỉnh ủy", "Chủ tịch UBND tỉnh"],
                2,
            ),
        ],
    ),
    (
        2,
        Body.Type.COMMITTEE,
        "Ủy ban Bầu cử tỉnh",
        [
            (
                "Trương Quốc Huy",
                Membership.Role.CHAIR,
                ["Phó Bí thư Tỉnh ủy", "Chủ tịch UBND tỉnh", "Chủ tịch Ủy ban Bầu cử tỉnh"],
                1,
            ),
        ],
    ),
]

# Illustrative units of the provincial council contest (made-up names and numbers).
UNITS = [
    {
        "number": 1,
        "seats": 3,
        "area": "Địa bàn minh họa A (không phải số liệu thật)",
        "result": {
            "registered": 60000,
            "voted": 59700,
            "ballots_issued": 59700,
            "ballots_received": 59650,
            "valid_ballots": 59000,
            "invalid_ballots": 650,
        },
        "candidates": [
            ("Người ứng cử minh họa Một", datetime.date(1970, 3, 12), "nam", 52000),
            ("Người ứng cử minh họa Hai", datetime.date(1975, 8, 1), "nu", 48500),
            ("Người ứng cử minh họa Ba", datetime.date(1980, 1, 20), "nam", 41000),
            ("Người ứng cử minh họa Bốn", datetime.date(1982, 11, 5), "nu", 20100),
            ("Người ứng cử minh họa Năm", datetime.date(1985, 6, 30), "nam", 15600),
        ],
    },
    {
        "number": 2,
        "seats": 2,
        "area": "Địa bàn minh họa B: hai người bằng phiếu ở ghế cuối, người cao tuổi hơn trúng cử",
        "result": {
            "registered": 40000,
            "voted": 39800,
            "ballots_issued": 39800,
            "ballots_received": 39800,
            "valid_ballots": 39000,
            "invalid_ballots": 800,
        },
        "candidates": [
            ("Người ứng cử minh họa Sáu", datetime.date(1972, 4, 2), "nu", 30000),
            ("Người ứng cử minh họa Bảy", datetime.date(1968, 9, 9), "nam", 25000),
            ("Người ứng cử minh họa Tám", datetime.date(1978, 2, 14), "nu", 25000),
            ("Người ứng cử minh họa Chín", datetime.date(1983, 12, 1), "nam", 10000),
        ],
    },
]


def _write(stdout, message):
    if stdout is not None:
        stdout.write(message)


def _upsert(model, defaults, **lookup):
    """Like ``update_or_create`` but saves only when something differs, so a second run
    writes nothing (and adds no history rows)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup)
        changed = True
    else:
        changed = False
    for name, value in defaults.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.save()
    return obj


def load(stdout=None):
    election = _upsert(
        Election,
        slug=ELECTION_SLUG,
        defaults={
            "name": "Bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp nhiệm kỳ "
            "2021 - 2026",
            "election_day": datetime.date(2021, 5, 23),
            "directive": "Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị",
            "summary": "Ngày 23/5/2021, cử tri trong tỉnh bầu đại biểu Quốc hội khóa XV và đại "
            "biểu Hội đồng nhân dân tỉnh, cấp huyện, cấp xã nhiệm kỳ 2021 - 2026. Tỷ lệ cử tri "
            "đi bầu toàn tỉnh đạt 99,47%. Các đơn vị bầu cử và người ứng cử trên trang này là "
            "dữ liệu minh họa.",
            "is_published": True,
            "is_demo": True,
        },
    )
    contests = {}
    for kind, term, order in CONTESTS:
        contests[kind] = _upsert(
            Contest,
            election=election,
            kind=kind,
            defaults={"term": term, "order": order, "is_demo": True},
        )
    _upsert(
        TurnoutSummary,
        election=election,
        defaults={
            "percentage": Decimal("99.47"),
            "areas_total": 777,
            "areas_full": 604,
            "registered": None,
            "voted": None,
            "source": "Báo cáo tại Hội nghị tổng kết việc thực hiện Chỉ thị số 45-CT/TW, "
            "ngày 25/6/2021",
        },
    )
    people = {}
    for order, body_type, name, members in BODIES:
        body = _upsert(
            Body,
            election=election,
            type=body_type,
            name=name,
            defaults={"level": Body.Level.PROVINCE, "order": order, "is_demo": True},
        )
        for full_name, role, titles, member_order in members:
            if full_name not in people:
                people[full_name], _ = Person.objects.get_or_create(
                    full_name=full_name, is_demo=True
                )
            _upsert(
                Membership,
                body=body,
                person=people[full_name],
                defaults={"role": role, "titles": titles, "order": member_order},
            )
    council = contests[Contest.Kind.PROVINCIAL_COUNCIL]
    for spec in UNITS:
        unit = _upsert(
            ElectoralUnit,
            contest=council,
            number=spec["number"],
            defaults={"seats": spec["seats"], "area_description": spec["area"], "is_demo": True},
        )
        _upsert(UnitResult, unit=unit, defaults={**spec["result"], "is_demo": True})
        for full_name, birth_date, gender, votes in spec["candidates"]:
            _upsert(
                Candidate,
                unit=unit,
                full_name=full_name,
                defaults={
                    "birth_date": birth_date,
                    "gender": gender,
                    "votes": votes,
                    "position": "Dữ liệu minh họa",
                    "is_demo": True,
                },
            )
    election.articles.add(*Article.objects.filter(slug__in=RELATED_ARTICLES))
    _write(stdout, f"Bầu cử: {election.name} ({election.get_absolute_url()})")
    return election
