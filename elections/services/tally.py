"""Who is elected, by the law (Luật Bầu cử 85/2015/QH13, Art. 78-80).

Nothing is computed in ``save()``: winners, re-runs and by-votes are derived from the counts
every time.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from elections.models import Contest, ElectoralUnit
from elections.services.turnout import area_totals
from portal.numbers import percentage
from portal.text import person_sort_key


@dataclass
class CandidateResult:
    candidate: object
    votes: int
    percentage: Decimal | None
    passes_half: bool
    elected: bool = False
    tied_unresolved: bool = False


@dataclass
class Tally:
    unit: object
    seats: int
    registered: int | None
    voted: int | None
    turnout: Decimal | None
    valid_ballots: int | None
    rows: list = field(default_factory=list)
    has_result: bool = False
    rerun: bool = False
    byvote: bool = False
    needs_review: bool = False
    inconsistent: bool = False

    @property
    def winners(self):
        return [row for row in self.rows if row.elected]

    @property
    def status(self):
        if not self.has_result:
            return _("Chưa có kết quả")
        if self.rerun:
            return _("Phải bầu cử lại: số cử tri đã bỏ phiếu không quá một nửa tổng số cử tri")
        if self.inconsistent:
            return _("Cần xem lại: số phiếu của người ứng cử lớn hơn số phiếu hợp lệ")
        if self.needs_review:
            return _("Cần xem lại: người ứng cử bằng phiếu nhau mà chưa rõ ai cao tuổi hơn")
        if self.byvote:
            return _("Phải bầu cử thêm: số người trúng cử chưa đủ theo luật")
        return _("Đã xác định người trúng cử")


def _age_key(candidate):
    # Older first: an earlier birth date sorts first; unknown dates last.
    return candidate.birth_date or date.max


def unit_tally(*, unit, candidates=None, result=None, totals=None):
    """Who is elected in ``unit``, by Art. 78-80 of the Election Law.

    - the unit's election is valid only if *more than half* of its voters voted; otherwise
      it is marked for a re-run (bầu cử lại) and nobody is elected, unless the result is
      already that of a re-run;
    - a winner needs *strictly more than half* of the valid ballots ("quá nửa");
    - the highest vote counts win, up to the number of seats;
    - a tie for the last seat goes to the older candidate; if their ages cannot tell them
      apart the unit needs review and the tied seat stays open;
    - too few winners (National Assembly: fewer than the seats; councils: fewer than two
      thirds of the seats) means a by-vote (bầu cử thêm).

    ``candidates``, ``result`` and ``totals`` may be passed (prefetched) to avoid queries.
    """
    if candidates is None:
        candidates = list(unit.candidates.all())
    if result is None:
        result = getattr(unit, "result", None)
    registered = voted = None
    if result is not None:
        registered, voted = result.registered, result.voted
    if registered is None or voted is None:
        if totals is None:
            totals = area_totals(election=unit.contest.election)
        row = totals.get(unit.pk)
        if row:
            registered = registered if registered is not None else row["registered"]
            voted = voted if voted is not None else row["voted"]
    valid = result.valid_ballots if result is not None else None
    tally = Tally(
        unit=unit,
        seats=unit.seats,
        registered=registered,
        voted=voted,
        turnout=percentage(voted, registered),
        valid_ballots=valid,
    )
    ordered = sorted(
        candidates,
        key=lambda c: (-(c.votes or 0), _age_key(c), person_sort_key(c.full_name)),
    )
    for candidate in ordered:
        votes = candidate.votes or 0
        tally.rows.append(
            CandidateResult(
                candidate=candidate,
                votes=votes,
                percentage=percentage(votes, valid),
                passes_half=bool(valid) and votes * 2 > valid,
            )
        )
    # Zero valid ballots is a result (nobody can pass half of them), not a missing one.
    tally.has_result = valid is not None and (
        valid == 0 or any(c.votes is not None for c in candidates)
    )
    if not tally.has_result:
        return tally
    is_rerun = bool(result and result.is_rerun)
    if registered and voted is not None and voted * 2 <= registered and not is_rerun:
        tally.rerun = True
        return tally
    if any(row.votes > valid for row in tally.rows):
        # A candidate cannot get more votes than there are valid ballots: a typing error.
        tally.inconsistent = True
        tally.needs_review = True
        return tally

    eligible = [row for row in tally.rows if row.passes_half]
    winners = eligible[: unit.seats]
    if len(eligible) > unit.seats:
        last, first_loser = eligible[unit.seats - 1], eligible[unit.seats]
        if last.votes == first_loser.votes:
            # Every candidate tied with the last seat competes for it by age. The older wins,
            # but only if every tied birth date is known and the two at the cut differ.
            tied = [row for row in eligible if row.votes == last.votes]
            last_date = last.candidate.birth_date
            loser_date = first_loser.candidate.birth_date
            if any(row.candidate.birth_date is None for row in tied) or last_date == loser_date:
                # The law cannot decide with what was entered: leave the seats open.
                for row in tied:
                    row.tied_unresolved = True
                winners = [row for row in winners if row.votes != last.votes]
                tally.needs_review = True
    for row in winners:
        row.elected = True
    # Seats held open for a tie will be filled once ages are checked: not a by-vote.
    count = min(len(eligible), unit.seats) if tally.needs_review else len(winners)
    if unit.contest.kind == Contest.Kind.NATIONAL_ASSEMBLY:
        tally.byvote = count < unit.seats
    else:
        tally.byvote = count * 3 < unit.seats * 2
    return tally


def election_tallies(*, election):
    """Every contest of ``election`` with its units and their tallies, in a fixed 4 queries."""
    contests = list(election.contests.all())
    units = list(
        ElectoralUnit.objects.filter(contest__election=election)
        .select_related("contest", "result")
        .prefetch_related("candidates")
        .order_by("contest__order", "contest_id", "number")
    )
    totals = area_totals(election=election)
    by_contest = {contest.pk: [] for contest in contests}
    for unit in units:
        # select_related left no result attribute when the unit has none: no extra query.
        result = getattr(unit, "result", None)
        tally = unit_tally(
            unit=unit, candidates=list(unit.candidates.all()), result=result, totals=totals
        )
        by_contest.setdefault(unit.contest_id, []).append(tally)
    return [(contest, by_contest.get(contest.pk, [])) for contest in contests], totals
