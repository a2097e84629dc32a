"""Small builders for election rows; each takes overrides as keywords."""

import datetime
import itertools

from elections.models import (
    Body,
    Candidate,
    Contest,
    Election,
    ElectoralUnit,
    Membership,
    Person,
    PollingArea,
    UnitResult,
)

_counter = itertools.count(1)


def election(**fields):
    n = next(_counter)
    fields.setdefault("name", f"Cuộc bầu cử thử {n}")
    fields.setdefault("election_day", datetime.date(2021, 5, 23))
    fields.setdefault("is_published", True)
    return Election.objects.create(**fields)


def contest(election_obj=None, kind=Contest.Kind.PROVINCIAL_COUNCIL, term="nhiệm kỳ 2021 - 2026"):
    return Contest.objects.create(election=election_obj or election(), kind=kind, term=term)


def unit(contest_obj=None, *, seats=3, number=None, **fields):
    contest_obj = contest_obj or contest()
    number = number or contest_obj.units.count() + 1
    return ElectoralUnit.objects.create(contest=contest_obj, number=number, seats=seats, **fields)


def candidate(unit_obj, votes, *, born=None, name=None):
    n = next(_counter)
    return Candidate.objects.create(
        unit=unit_obj,
        full_name=name or f"Người ứng cử {n}",
        votes=votes,
        birth_date=born or datetime.date(1970, 1, 1) + datetime.timedelta(days=n),
    )


def result(unit_obj, *, valid, registered=1000, voted=900, invalid=0, **fields):
    return UnitResult.objects.create(
        unit=unit_obj,
        registered=registered,
        voted=voted,
        ballots_issued=fields.pop("issued", valid + invalid),
        ballots_received=valid + invalid,
        valid_ballots=valid,
        invalid_ballots=invalid,
        **fields,
    )


def area(election_obj, code, registered, voted, **fields):
    fields.setdefault("name", f"Khu vực {code}")
    return PollingArea.objects.create(
        election=election_obj, code=code, registered=registered, voted=voted, **fields
    )


def body(election_obj, *, name="Ban Chỉ đạo bầu cử tỉnh", type=Body.Type.STEERING_BOARD, **fields):
    return Body.objects.create(election=election_obj, name=name, type=type, **fields)


def member(body_obj, name, role=Membership.Role.MEMBER, titles=(), order=0):
    person = Person.objects.create(full_name=name)
    return Membership.objects.create(
        body=body_obj, person=person, role=role, titles=list(titles), order=order
    )
