"""Turnout of an election: from its polling areas, else the official summary."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from elections.models import PollingArea
from portal.numbers import percentage


@dataclass
class Turnout:
    registered: int | None
    voted: int | None
    percentage: Decimal | None
    areas_total: int | None
    areas_full: int | None
    source: str  # "areas" or "summary"
    source_note: str = ""

    @property
    def areas_full_percentage(self):
        return percentage(self.areas_full, self.areas_total)

    @property
    def is_computed(self):
        return self.source == "areas"


def area_totals(*, election):
    """Per-unit sums of the polling areas of ``election`` in one query.

    Returns ``{unit_id or None: {"registered", "voted", "areas", "areas_full"}}``.
    """
    rows = (
        PollingArea.objects.filter(election=election)
        .values("unit_id")
        .order_by("unit_id")
        .annotate(
            # Named apart from the fields: the filter below must compare the fields.
            sum_registered=Sum("registered"),
            sum_voted=Sum("voted"),
            areas=Count("id"),
            areas_full=Count("id", filter=Q(voted=F("registered"), registered__gt=0)),
        )
    )
    return {
        row["unit_id"]: {
            "registered": row["sum_registered"] or 0,
            "voted": row["sum_voted"] or 0,
            "areas": row["areas"],
            "areas_full": row["areas_full"],
        }
        for row in rows
    }


def election_turnout(*, election, totals=None, summary=None):
    """The turnout of ``election``: from its polling areas, else the official summary.

    Areas count only once they are all entered: while fewer areas are entered than the
    summary's total, the official figures stay (an import of one district must not replace
    the province's 99,47% with that district's numbers).

    ``totals`` (from :func:`area_totals`) and ``summary`` may be passed to avoid queries.
    Returns ``None`` when neither exists.
    """
    if totals is None:
        totals = area_totals(election=election)
    if summary is None:
        summary = getattr(election, "turnout_summary", None)
    entered = sum(row["areas"] for row in totals.values())
    if totals and not (summary and summary.areas_total and entered < summary.areas_total):
        registered = sum(row["registered"] or 0 for row in totals.values())
        voted = sum(row["voted"] or 0 for row in totals.values())
        return Turnout(
            registered=registered,
            voted=voted,
            percentage=percentage(voted, registered),
            areas_total=sum(row["areas"] for row in totals.values()),
            areas_full=sum(row["areas_full"] for row in totals.values()),
            source="areas",
            source_note=_("Tính từ số liệu các khu vực bỏ phiếu"),
        )
    if summary is None:
        return None
    pct = summary.percentage
    if pct is None:
        pct = percentage(summary.voted, summary.registered)
    return Turnout(
        registered=summary.registered,
        voted=summary.voted,
        percentage=pct,
        areas_total=summary.areas_total,
        areas_full=summary.areas_full,
        source="summary",
        source_note=summary.source,
    )
