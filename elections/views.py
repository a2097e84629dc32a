"""Public election pages and open data. Each runs a fixed number of queries."""

import csv
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import Article
from elections import services
from elections.models import Body, Election, Membership, PollingArea
from portal.pagecache import cached_by_generation, lazy_context, vary_on_params
from portal.pagination import page_number, paginate
from portal.spreadsheets import csv_row

PER_PAGE = 20


@vary_on_params(page=page_number)
def election_list(request):
    elections = Election.objects.published().prefetch_related("contests")
    return render(
        request,
        "elections/election_list.html",
        {"page": paginate(request, elections, PER_PAGE), "title": _("Bầu cử")},
    )


def _get_election(slug):
    election = (
        Election.objects.published().select_related("turnout_summary").filter(slug=slug).first()
    )
    if election is None:
        raise Http404(_("Không tìm thấy cuộc bầu cử."))
    return election


def _summary(election):
    # select_related leaves no attribute when there is no summary: no extra query either way.
    return getattr(election, "turnout_summary", None)


def _tallies(request, election):
    # Tallying reads every candidate, result and area: done once per content change.
    return cached_by_generation(
        f"elections:tallies:{election.pk}",
        lambda: services.election_tallies(election=election),
        request=request,
    )


def _detail_tallies(request, election):
    """Results, turnout and the turnout chart's rows of an election's page."""
    contests, totals = _tallies(request, election)
    turnout = services.election_turnout(
        election=election, totals=totals, summary=_summary(election)
    )
    unit_turnouts = [
        {
            # Illustrative units sit next to the real province figures: say so in the label.
            "label": f"{tally.unit.label} – {contest.get_kind_display()}"
            + (f" ({_('minh họa')})" if tally.unit.is_demo else ""),
            "tally": tally,
        }
        for contest, tallies in contests
        for tally in tallies
        if tally.turnout is not None
    ]
    # Only turnout rates (voters who voted / registered voters) go in the chart; the share of
    # polling areas where everyone voted is another measure and is shown apart from it.
    chart_rows = []
    if turnout is not None and turnout.percentage is not None:
        chart_rows.append((_("Toàn tỉnh"), turnout.percentage))
    chart_rows += [(row["label"], row["tally"].turnout) for row in unit_turnouts]
    return {
        "contests": contests,
        "turnout": turnout,
        "unit_turnouts": unit_turnouts,
        "chart_rows": chart_rows,
    }


@vary_on_params()
def election_detail(request, slug):
    election = _get_election(slug)
    # Querysets, not lists: they are read only when the page's cached fragment is rendered.
    bodies = Body.objects.filter(election=election).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("person__photo"))
    )
    articles = (
        Article.objects.published()
        .for_listing()
        .filter(elections=election)
        .order_by("-publish_at", "-id")[:10]
    )
    # Through the reverse relation: awards points to elections, never the other way round.
    decisions = election.award_decisions.for_listing()
    return render(
        request,
        "elections/election_detail.html",
        {
            "election": election,
            # Computed only if the page's cached fragments are rendered (a warm page reads
            # nothing).
            **lazy_context(
                lambda: _detail_tallies(request, election),
                ("contests", "turnout", "unit_turnouts", "chart_rows"),
            ),
            "bodies": bodies,
            "articles": articles,
            "decisions": decisions,
            "canonical_url": request.build_absolute_uri(election.get_absolute_url()),
        },
    )


def _find_unit(contests, pk):
    """The contest of unit ``pk``, its tally, and the units before and after it in that
    contest (for the page's links); ``None`` if the election has no such unit."""
    for contest, tallies in contests:
        for index, tally in enumerate(tallies):
            if tally.unit.pk == pk:
                previous = tallies[index - 1].unit if index else None
                following = tallies[index + 1].unit if index + 1 < len(tallies) else None
                return contest, tally, previous, following
    return None


@vary_on_params()
def unit_detail(request, slug, pk):
    """One electoral unit's minutes and candidates, read from the election's cached tallies
    (the election page lists the units with their winners and links here)."""
    election = _get_election(slug)
    found = _find_unit(_tallies(request, election)[0], pk)
    if found is None:
        raise Http404(_("Không tìm thấy đơn vị bầu cử."))
    contest, tally, previous, following = found
    return render(
        request,
        "elections/unit_detail.html",
        {
            "election": election,
            "contest": contest,
            "tally": tally,
            "previous": previous,
            "next": following,
            "canonical_url": request.build_absolute_uri(
                reverse("elections:unit", args=[election.slug, pk])
            ),
        },
    )


class _Echo:
    def write(self, value):
        return value


def _csv_response(filename, columns, rows):
    """Streaming CSV with a UTF-8 BOM so Excel shows Vietnamese correctly."""
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff" + writer.writerow(columns)
        for row in rows:
            yield writer.writerow(csv_row(row[c] for c in columns))

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


class _NumberEncoder(DjangoJSONEncoder):
    # Percentages are Decimal: numbers in JSON (Django's encoder would write strings).
    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


def _json_response(data):
    response = JsonResponse(
        data, encoder=_NumberEncoder, json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _election_dict(request, election):
    return {
        "ten": election.name,
        "duong_dan": request.build_absolute_uri(election.get_absolute_url()),
        "ngay_bau_cu": election.election_day.isoformat(),
        "van_ban_chi_dao": election.directive,
        "du_lieu_minh_hoa": election.is_demo,
    }


def results_csv(request, slug):
    election = _get_election(slug)
    contests, _totals = _tallies(request, election)
    rows = list(services.results_rows(contests=contests))
    return _csv_response(f"ket-qua-{election.slug}.csv", services.RESULT_COLUMNS, rows)


@vary_on_params()
def results_json(request, slug):
    election = _get_election(slug)
    contests, _totals = _tallies(request, election)
    return _json_response(
        {
            "cuoc_bau_cu": _election_dict(request, election),
            "ket_qua": list(services.results_rows(contests=contests)),
        }
    )


def _areas(election):
    return PollingArea.objects.filter(election=election).select_related("unit")


def turnout_csv(request, slug):
    election = _get_election(slug)
    rows = services.turnout_rows(areas=_areas(election).iterator(chunk_size=2000))
    return _csv_response(f"ty-le-di-bau-{election.slug}.csv", services.TURNOUT_COLUMNS, rows)


@vary_on_params()
def turnout_json(request, slug):
    election = _get_election(slug)
    totals = services.area_totals(election=election)
    turnout = services.election_turnout(
        election=election, totals=totals, summary=_summary(election)
    )
    return _json_response(
        {
            "cuoc_bau_cu": _election_dict(request, election),
            "ty_le_di_bau": services.turnout_dict(turnout),
            "khu_vuc_bo_phieu": list(services.turnout_rows(areas=_areas(election))),
        }
    )
