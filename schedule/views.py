from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.pagecache import vary_on_params
from schedule.services import calendar_build, week_build


def _week_context(request):
    week = week_build(request.GET.get("tuan", ""))
    return {"week": week, "title": _("Lịch công tác")}


@vary_on_params("tuan")
def week(request):
    return render(request, "schedule/week.html", _week_context(request))


@vary_on_params("tuan")
def week_print(request):
    return render(request, "schedule/print.html", _week_context(request))


@vary_on_params()
def ical(request):
    name = f"{_('Lịch công tác')} – {settings.PORTAL_NAME}"
    response = HttpResponse(calendar_build(name=name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lich-cong-tac.ics"'
    return response
