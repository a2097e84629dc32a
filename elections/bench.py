"""The election of ``manage.py bench``: 800 polling areas and 300 candidates."""

import datetime

from elections.models import (
    Candidate,
    Contest,
    Election,
    ElectoralUnit,
    PollingArea,
    UnitResult,
)

AREAS = 800
CANDIDATES = 300
UNITS = 60  # 5 candidates for 3 seats in each


def populate():
    election = Election.objects.create(
        name="Bầu cử đại biểu HĐND tỉnh (đo hiệu năng)",
        slug="bench-bau-cu",
        election_day=datetime.date(2021, 5, 23),
        is_published=True,
    )
    contest = Contest.objects.create(
        election=election, kind=Contest.Kind.PROVINCIAL_COUNCIL, term="nhiệm kỳ 2021 - 2026"
    )
    units = ElectoralUnit.objects.bulk_create(
        ElectoralUnit(contest=contest, number=n + 1, seats=3) for n in range(UNITS)
    )
    per_unit = CANDIDATES // UNITS
    Candidate.objects.bulk_create(
        Candidate(
            unit=units[i // per_unit],
            full_name=f"Nguyễn Văn Ứng Cử {i + 1}",
            birth_date=datetime.date(1960, 1, 1) + datetime.timedelta(days=37 * i),
            votes=9000 - (i % per_unit) * 1500,
        )
        for i in range(CANDIDATES)
    )
    UnitResult.objects.bulk_create(
        UnitResult(
            unit=unit,
            registered=10_000,
            voted=9_800,
            ballots_issued=9_800,
            ballots_received=9_800,
            valid_ballots=9_700,
            invalid_ballots=100,
        )
        for unit in units
    )
    PollingArea.objects.bulk_create(
        PollingArea(
            election=election,
            unit=units[i % UNITS],
            code=f"KV{i + 1:04d}",
            name=f"Khu vực bỏ phiếu số {i + 1}",
            locality=f"Xã {i % 97 + 1}",
            registered=1_000 + i % 300,
            voted=950 + i % 300,
        )
        for i in range(AREAS)
    )
    return {"election": election.slug}
