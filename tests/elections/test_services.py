"""The law's rules (Art. 78-80) and turnout arithmetic, through the services."""

import datetime
from decimal import Decimal

import pytest

from elections import services
from elections.models import Contest, TurnoutSummary
from tests import factories as h

pytestmark = pytest.mark.django_db


def elected_names(tally):
    return [row.candidate.full_name for row in tally.rows if row.elected]


def test_exactly_half_of_valid_ballots_is_not_elected():
    unit = h.unit(seats=2)
    h.candidate(unit, 500, name="Đúng một nửa")
    h.candidate(unit, 501, name="Quá nửa")
    h.result(unit, valid=1000)
    tally = services.unit_tally(unit=unit)
    assert elected_names(tally) == ["Quá nửa"]
    half = next(r for r in tally.rows if r.candidate.full_name == "Đúng một nửa")
    assert half.percentage == Decimal("50.00")
    assert not half.passes_half
    assert not half.elected


def test_highest_first_and_seats_limit_winners():
    unit = h.unit(seats=2)
    for votes, name in [(700, "C"), (900, "A"), (800, "B"), (600, "D")]:
        h.candidate(unit, votes, name=name)
    h.result(unit, valid=1000)
    tally = services.unit_tally(unit=unit)
    assert [r.candidate.full_name for r in tally.rows] == ["A", "B", "C", "D"]
    assert elected_names(tally) == ["A", "B"]
    assert not tally.byvote
    assert not tally.rerun


def test_tie_for_last_seat_goes_to_the_older_candidate():
    unit = h.unit(seats=2)
    h.candidate(unit, 900, name="Nhất")
    h.candidate(unit, 700, name="Trẻ hơn", born=datetime.date(1980, 1, 1))
    h.candidate(unit, 700, name="Lớn tuổi hơn", born=datetime.date(1965, 12, 31))
    h.result(unit, valid=1000)
    tally = services.unit_tally(unit=unit)
    assert elected_names(tally) == ["Nhất", "Lớn tuổi hơn"]
    assert not tally.needs_review


def test_tie_with_same_birth_date_is_left_for_review():
    unit = h.unit(seats=1)
    day = datetime.date(1970, 5, 5)
    h.candidate(unit, 600, name="Một", born=day)
    h.candidate(unit, 600, name="Hai", born=day)
    h.result(unit, valid=1000)
    tally = services.unit_tally(unit=unit)
    assert elected_names(tally) == []
    assert tally.needs_review
    assert all(row.tied_unresolved for row in tally.rows)


def test_half_turnout_means_a_rerun_and_nobody_elected():
    unit = h.unit(seats=1)
    h.candidate(unit, 400, name="Cao phiếu")
    h.result(unit, valid=500, registered=1000, voted=500)
    tally = services.unit_tally(unit=unit)
    assert tally.rerun
    assert elected_names(tally) == []
    assert "bầu cử lại" in str(tally.status)


def test_just_over_half_turnout_is_valid():
    unit = h.unit(seats=1)
    h.candidate(unit, 400, name="Cao phiếu")
    h.result(unit, valid=501, registered=1000, voted=501)
    tally = services.unit_tally(unit=unit)
    assert not tally.rerun
    assert elected_names(tally) == ["Cao phiếu"]


def test_a_rerun_result_stands_even_with_low_turnout():
    unit = h.unit(seats=1)
    h.candidate(unit, 300, name="Cao phiếu")
    h.result(unit, valid=400, registered=1000, voted=400, is_rerun=True)
    tally = services.unit_tally(unit=unit)
    assert not tally.rerun
    assert elected_names(tally) == ["Cao phiếu"]


def test_by_vote_for_national_assembly_when_any_seat_is_empty():
    election = h.election()
    na = h.contest(election, kind=Contest.Kind.NATIONAL_ASSEMBLY, term="khóa XV")
    unit = h.unit(na, seats=3)
    h.candidate(unit, 800)
    h.candidate(unit, 700)
    h.candidate(unit, 400)
    h.result(unit, valid=1000)
    tally = services.unit_tally(unit=unit)
    assert len(tally.winners) == 2
    assert tally.byvote


def test_by_vote_for_councils_only_below_two_thirds():
    unit = h.unit(seats=3)  # council: 2 of 3 winners is two thirds, enough
    h.candidate(unit, 800)
    h.candidate(unit, 700)
    h.candidate(unit, 400)
    h.result(unit, valid=1000)
    assert not services.unit_tally(unit=unit).byvote

    unit5 = h.unit(seats=5)  # 3 of 5 is less than two thirds
    for votes in (900, 800, 700, 100, 100, 100):
        h.candidate(unit5, votes)
    h.result(unit5, valid=1000)
    tally = services.unit_tally(unit=unit5)
    assert len(tally.winners) == 3
    assert tally.byvote


def test_no_result_elects_nobody():
    unit = h.unit(seats=1)
    h.candidate(unit, None)
    tally = services.unit_tally(unit=unit)
    assert not tally.has_result
    assert tally.winners == []
    assert str(tally.status) == "Chưa có kết quả"


def test_unit_turnout_falls_back_to_its_polling_areas():
    unit = h.unit(seats=1)
    election = unit.contest.election
    h.area(election, "01", 600, 100, unit=unit)
    h.area(election, "02", 400, 100, unit=unit)
    h.candidate(unit, 150)
    h.result(unit, valid=200, registered=None, voted=None)
    tally = services.unit_tally(unit=unit)
    assert (tally.registered, tally.voted) == (1000, 200)
    assert tally.turnout == Decimal("20.00")
    assert tally.rerun


def test_turnout_from_polling_areas_wins_over_the_summary():
    election = h.election()
    TurnoutSummary.objects.create(election=election, percentage=Decimal("99.47"), source="x")
    h.area(election, "01", 1000, 1000)
    h.area(election, "02", 2000, 1990)
    h.area(election, "03", 0, 0)
    turnout = services.election_turnout(election=election)
    assert turnout.source == "areas"
    assert (turnout.registered, turnout.voted) == (3000, 2990)
    assert turnout.percentage == Decimal("99.67")
    assert (turnout.areas_full, turnout.areas_total) == (1, 3)


def test_turnout_from_the_official_summary():
    election = h.election()
    TurnoutSummary.objects.create(
        election=election,
        percentage=Decimal("99.47"),
        areas_total=777,
        areas_full=604,
        source="Báo cáo tổng kết",
    )
    election.refresh_from_db()
    turnout = services.election_turnout(election=election)
    assert turnout.source == "summary"
    assert turnout.percentage == Decimal("99.47")
    assert (turnout.areas_full, turnout.areas_total) == (604, 777)
    assert turnout.areas_full_percentage == Decimal("77.73")
    assert turnout.source_note == "Báo cáo tổng kết"


def test_summary_percentage_is_computed_from_counts_when_blank():
    election = h.election()
    summary = TurnoutSummary.objects.create(
        election=election, registered=642235, voted=633273, source="x"
    )
    turnout = services.election_turnout(election=election, totals={}, summary=summary)
    assert turnout.percentage == Decimal("98.60")


def test_no_turnout_at_all():
    election = h.election()
    assert services.election_turnout(election=election) is None


def test_percentage_rounds_half_up():
    assert services.percentage(1, 8) == Decimal("12.50")
    assert services.percentage(2, 3) == Decimal("66.67")
    assert services.percentage(5, 0) is None


def test_a_tied_candidate_without_birth_date_leaves_the_seat_open():
    # The tied rival with no birth date may be the oldest: the law cannot pick yet.
    unit = h.unit(seats=2)
    h.candidate(unit, 900, name="Nhất")
    h.candidate(unit, 700, name="Có ngày sinh", born=datetime.date(1960, 1, 1))
    h.candidate(unit, 700, name="Cũng có", born=datetime.date(1975, 1, 1))
    missing = h.candidate(unit, 700, name="Chưa có ngày sinh")
    missing.birth_date = None
    missing.save()
    h.result(unit, valid=1000)
    tally = services.unit_tally(unit=unit)
    assert elected_names(tally) == ["Nhất"]
    assert tally.needs_review
    assert {r.candidate.full_name for r in tally.rows if r.tied_unresolved} == {
        "Có ngày sinh",
        "Cũng có",
        "Chưa có ngày sinh",
    }
    # The open seat waits for the ages: it is not a by-vote.
    assert not tally.byvote


def test_more_ties_than_seats_go_to_the_oldest():
    unit = h.unit(seats=2)
    for name, year in [("Sinh 1970", 1970), ("Sinh 1955", 1955), ("Sinh 1962", 1962)]:
        h.candidate(unit, 600, name=name, born=datetime.date(year, 6, 1))
    h.candidate(unit, 100, name="Thấp")
    h.result(unit, valid=1000)
    tally = services.unit_tally(unit=unit)
    assert elected_names(tally) == ["Sinh 1955", "Sinh 1962"]
    assert not tally.needs_review


def test_tie_below_half_needs_no_age_check():
    unit = h.unit(seats=1)
    h.candidate(unit, 800, name="Quá nửa")
    a = h.candidate(unit, 100, name="A")
    b = h.candidate(unit, 100, name="B")
    for c in (a, b):
        c.birth_date = None
        c.save()
    h.result(unit, valid=1000)
    tally = services.unit_tally(unit=unit)
    assert elected_names(tally) == ["Quá nửa"]
    assert not tally.needs_review


def test_zero_valid_ballots_elects_nobody_and_calls_a_by_vote():
    unit = h.unit(seats=2)
    h.candidate(unit, 0)
    h.candidate(unit, None)
    h.result(unit, valid=0, invalid=900, registered=1000, voted=900)
    tally = services.unit_tally(unit=unit)
    assert tally.has_result
    assert tally.winners == []
    assert tally.byvote
    assert all(row.percentage is None for row in tally.rows)
    assert "bầu cử thêm" in str(tally.status)


def test_votes_above_valid_ballots_are_flagged_not_elected():
    unit = h.unit(seats=1)
    h.candidate(unit, 1200, name="Gõ nhầm")
    h.result(unit, valid=1000)
    tally = services.unit_tally(unit=unit)
    assert tally.winners == []
    assert tally.needs_review
    assert "lớn hơn số phiếu hợp lệ" in str(tally.status)


def test_national_assembly_full_seats_is_no_by_vote_and_council_one_of_two_is():
    election = h.election()
    na = h.contest(election, kind=Contest.Kind.NATIONAL_ASSEMBLY, term="khóa XV")
    unit = h.unit(na, seats=2)
    h.candidate(unit, 800)
    h.candidate(unit, 700)
    h.candidate(unit, 300)
    h.result(unit, valid=1000)
    assert not services.unit_tally(unit=unit).byvote

    council = h.unit(h.contest(election), seats=2)  # 1 of 2 is below two thirds
    h.candidate(council, 800)
    h.candidate(council, 300)
    h.result(council, valid=1000)
    tally = services.unit_tally(unit=council)
    assert len(tally.winners) == 1
    assert tally.byvote


def test_partly_entered_areas_do_not_replace_the_official_summary():
    election = h.election()
    TurnoutSummary.objects.create(
        election=election, percentage=Decimal("99.47"), areas_total=3, areas_full=2, source="BC"
    )
    h.area(election, "01", 1000, 500)
    h.area(election, "02", 1000, 1000)
    turnout = services.election_turnout(election=election)
    assert (turnout.source, turnout.percentage) == ("summary", Decimal("99.47"))
    h.area(election, "03", 1000, 1000)
    turnout = services.election_turnout(election=election)
    assert (turnout.source, turnout.percentage) == ("areas", Decimal("83.33"))
