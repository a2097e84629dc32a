from django.http import Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from organisation.models import IntroPage, Official, SiteContact
from organisation.services import intro_tree, tree_ids, unit_tree


def intro(request):
    tree = intro_tree()
    return render(request, "organisation/intro.html", {"tree": tree, "title": _("Giới thiệu")})


def page(request, slug):
    page = IntroPage.objects.published().select_related("parent").filter(slug=slug[:120]).first()
    tree = intro_tree()
    if page is None or page.pk not in tree_ids(tree):
        raise Http404(_("Không tìm thấy trang."))
    return render(request, "organisation/page.html", {"page": page, "tree": tree})


def units(request):
    # Read only when the page's cached fragment is rendered (a warm one reads nothing).
    return render(
        request,
        "organisation/units.html",
        {"units": SimpleLazyObject(unit_tree), "title": _("Cơ cấu tổ chức")},
    )


def contact(request):
    officials = list(Official.objects.select_related("unit"))
    return render(
        request,
        "organisation/contact.html",
        {
            "contact": SiteContact.objects.first(),
            "officials": officials,
            "title": _("Liên hệ"),
        },
    )
