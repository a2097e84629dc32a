from django import template
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_url(context, language, absolute=False):
    """The current page in ``language``, else that language's home page.

    The path comes from the request, so it is only used when it names a page of this site:
    ``//evil.com/`` (or ``/%2F%2Fevil.com/``) must never become a link to another site.
    ``absolute=True`` for ``hreflang`` alternates, which search engines want absolute: the host
    comes from ``request.get_host()``, which checks it against ALLOWED_HOSTS.
    """
    with translation.override(language):
        home = reverse("home")
    request = context.get("request")
    if request is None:
        return home
    url = home
    try:
        resolve(request.path_info)
    except Resolver404:
        pass
    else:
        translated = translate_url(request.get_full_path(), language)
        if translated.startswith("/") and url_has_allowed_host_and_scheme(
            translated, allowed_hosts=None
        ):
            url = translated
    return request.build_absolute_uri(url) if absolute else url


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL with ``page`` set to ``number``, other parameters kept."""
    request = context["request"]
    params = request.GET.copy()
    params["page"] = number
    return "?" + urlencode(sorted(params.lists()), doseq=True)


@register.filter
def percent(value, digits=2):
    """``99.47`` → ``99,47%`` in Vietnamese (the decimal separator follows the language)."""
    from django.utils.formats import number_format

    if value is None or value == "":
        return "—"
    return f"{number_format(value, int(digits))}%"
