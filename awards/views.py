import tempfile

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _

from awards.exports import (
    ExportFilters,
    csv_export_stream,
    decision_search_q,
    decision_year_q,
    export_log_start,
    file_name_for,
    xlsx_export,
)
from awards.models import Authority, AwardForm, Decision, ExportLog, Recipient
from awards.services import Reconciliation, awards_totals
from portal.pagecache import cached_by_generation, lazy_context, vary_on_params
from portal.pagination import lazy_page, page_number
from portal.ratelimit import hit, too_many_requests
from portal.text import nfc

PER_PAGE = 20
SEARCH_RATE = "60/m"  # searches per client address (scope "awards-search")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _choice(request, key, allowed):
    """The query value if it is one of ``allowed``; anything else is ignored."""
    value = request.GET.get(key, "")[:100]
    return value if value in allowed else ""


def _filter_choices():
    """The authorities, award forms and years that have decisions (the list's filters)."""
    authorities = list(Authority.objects.filter(decisions__isnull=False).distinct())
    forms = list(AwardForm.objects.filter(decisions__isnull=False).distinct())
    years = {d.year for d in Decision.objects.dates("date", "year")}
    years |= {d.year for d in Decision.objects.dates("proposal_date", "year")}
    return authorities, forms, sorted(years, reverse=True)


@vary_on_params("authority", "form", "year", "q", page=page_number)
def decision_list(request):
    query = nfc(request.GET.get("q", ""))[:100].strip()
    if query:
        # Searching is the costly part of the list: limited per address like the site search
        # (a cached result page is served by the page cache before this is counted).
        retry_after = hit(request, scope="awards-search", rate=SEARCH_RATE)
        if retry_after is not None:
            return too_many_requests(request, retry_after)
    authorities, forms, years = cached_by_generation(
        "awards:filter-choices", _filter_choices, request=request
    )
    selected = {
        "authority": _choice(request, "authority", {a.slug for a in authorities}),
        "form": _choice(request, "form", {f.slug for f in forms}),
        "year": _choice(request, "year", {str(y) for y in years}),
        "q": query,
    }
    decisions = Decision.objects.all()
    if selected["q"]:
        # The admin's search: the number in any of its usual variants, or words of the title.
        decisions = decisions.filter(decision_search_q(selected["q"]))
    if selected["authority"]:
        decisions = decisions.filter(authority__slug=selected["authority"])
    if selected["form"]:
        decisions = decisions.filter(form__slug=selected["form"])
    if selected["year"]:
        decisions = decisions.filter(decision_year_q(int(selected["year"])))
    # Counting 100,000 recipients on every render: kept until the next content change.
    totals = cached_by_generation(
        "awards:totals:" + "&".join(f"{k}={v}" for k, v in selected.items()),
        lambda: awards_totals(queryset=Recipient.objects.filter(decision__in=decisions)),
        request=request,
    )
    # Counted and read only if the list's cached fragment is rendered (decision_list.html).
    page = lazy_page(request, decisions.for_listing(), PER_PAGE)
    query = urlencode({k: v for k, v in selected.items() if v})
    return render(
        request,
        "awards/decision_list.html",
        {
            "title": _("Thi đua – Khen thưởng"),
            "page": page,
            "page_number": page_number(request.GET.get("page")),
            "authorities": authorities,
            "forms": forms,
            "years": years,
            "selected": selected,
            "filtered": any(selected.values()),
            "totals": totals,
            "query": query,
        },
    )


def _recipient_lists(decision):
    """A decision's collectives and individuals, and how they compare with its declared
    numbers."""
    recipients = list(decision.recipients.order_by("order", "id"))
    collectives = [r for r in recipients if r.kind == Recipient.Kind.COLLECTIVE]
    individuals = [r for r in recipients if r.kind == Recipient.Kind.INDIVIDUAL]
    reconciliation = Reconciliation(
        declared_collectives=decision.declared_collectives,
        declared_individuals=decision.declared_individuals,
        recorded_collectives=len(collectives),
        recorded_individuals=len(individuals),
    )
    return {
        "collectives": collectives,
        "individuals": individuals,
        "reconciliation": reconciliation,
    }


@vary_on_params()
def decision_detail(request, slug):
    decision = (
        Decision.objects.select_related("authority", "form", "proposed_by", "article", "election")
        .filter(slug=slug[:150])
        .first()
    )
    if decision is None:
        raise Http404(_("Không tìm thấy quyết định khen thưởng."))
    article = decision.article
    if article is not None and not article.is_live:
        article = None
    return render(
        request,
        "awards/decision_detail.html",
        {
            "decision": decision,
            # Read only if the lists' cached fragment is rendered (decision_detail.html).
            **lazy_context(
                lambda: _recipient_lists(decision),
                ("collectives", "individuals", "reconciliation"),
            ),
            "article": article,
            # The registry's documents citing it (a reverse relation: awards does not import
            # documents); read, like the lists, only when the fragment is rendered.
            "legal_documents": decision.legal_documents.published()
            .select_related("doc_type")
            .order_by("-issued_on"),
        },
    )


def open_data_csv(request):
    """Open data: every recipient of a decided, numbered decision (proposals excluded)."""
    filters = ExportFilters(status=Decision.Status.DECIDED)
    response = StreamingHttpResponse(
        csv_export_stream(filters=filters), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        False, "khen-thuong-du-lieu-mo.csv"
    )
    return response


def export_response(*, user, filters, fmt):
    """A logged export download for staff and auditors (CSV streamed, XLSX from a temp file)."""
    file_name = file_name_for(fmt=fmt, filters=filters)
    log = export_log_start(
        user=user, source=ExportLog.Source.ADMIN, fmt=fmt, filters=filters, file_name=file_name
    )
    if fmt == "xlsx":
        tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (and so deletes) it
        xlsx_export(filters=filters, fileobj=tmp, log=log, user_label=user.get_username())
        response = FileResponse(tmp, as_attachment=True, filename=file_name, content_type=XLSX_TYPE)
    else:
        response = StreamingHttpResponse(
            csv_export_stream(filters=filters, log=log), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(True, file_name)
    response["X-Export-Log"] = str(log.pk)
    response["Cache-Control"] = "no-store"
    return response
