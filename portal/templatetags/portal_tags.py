from django import template
from django.urls import translate_url
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_url(context, language, absolute=False):
    """The current page in ``language`` (falls back to that language's home page).

    ``absolute=True`` for ``hreflang`` alternates, which search engines want absolute: the host
    comes from ``request.get_host()``, which checks it against ALLOWED_HOSTS.
    """
    request = context.get("request")
    if request is None:
        return "/" if language == "vi" else f"/{language}/"
    url = translate_url(request.get_full_path(), language)
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
