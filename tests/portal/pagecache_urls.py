"""Views for the page cache tests: each answers with a fresh number, so a cached answer shows."""

import itertools

from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.cache import never_cache

from portal.pagecache import vary_on_params

_counter = itertools.count()


def plain(request):
    return HttpResponse(f"n={next(_counter)}")


@vary_on_params("a")
def declared(request):
    return HttpResponse(f"n={next(_counter)} a={request.GET.get('a')}")


def sets_cookie(request):
    response = HttpResponse(f"n={next(_counter)}")
    response.set_cookie("seen", "1")
    return response


def uses_csrf(request):
    return HttpResponse(f"n={next(_counter)} token={get_token(request)}")


def adds_message(request):
    messages.info(request, "Đã lưu.")
    return HttpResponse(f"n={next(_counter)}")


@never_cache
def uncacheable(request):
    return HttpResponse(f"n={next(_counter)}")


def not_found(request):
    return HttpResponse(f"n={next(_counter)}", status=404)


urlpatterns = [
    path("plain/", plain),
    path("declared/", declared),
    path("cookie/", sets_cookie),
    path("csrf/", uses_csrf),
    path("message/", adds_message),
    path("never/", uncacheable),
    path("missing/", not_found),
]
