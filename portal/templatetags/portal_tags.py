import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

register = template.Library()


class PublicFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        from portal import pagecache

        request = context.get("request")
        if request is None or settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Staff (anyone with a session) see what is stored now, like pages never cached
            # for them.
            return self.nodelist.render(context)
        version = pagecache.fragment_version(request)
        if version is None:  # nothing may be kept now (the generation cannot be read)
            return self.nodelist.render(context)
        parts = [str(v.resolve(context)) for v in self.vary_on]
        parts += [translation.get_language(), version]
        digest = hashlib.md5("|".join(parts).encode(), usedforsecurity=False).hexdigest()
        key = f"pagecache:fragment:{self.name}:{digest}"
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 600))
        return html


@register.tag
def public_fragment(parser, token):
    """``{% public_fragment "name" value ... %}…{% endpublic_fragment %}``: the enclosed part of a
    public page, rendered once and kept until any content or the next scheduled publication
    changes (like whole cached pages), per language and per the values given; with the page
    cache off too. Only for parts that depend on nothing but content and the request's address:
    no form that posts (a CSRF token), nothing about the user, no time finer than the day (the
    key changes at local midnight). Visitors with a session (staff) always get it rendered."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("public_fragment needs a name")
    nodelist = parser.parse(("endpublic_fragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return PublicFragmentNode(nodelist, name, [parser.compile_filter(b) for b in bits[2:]])


@register.simple_tag(takes_context=True)
def translated_url(context, language, absolute=False):
    """The current page in ``language``, else that language's home page.

    The path comes from the request, so it is only used when it names a page of this site:
    ``//evil.com/`` (or ``/%2F%2Fevil.com/``) must never become a link to another site.
    ``absolute=True`` for ``hreflang`` alternates, which search engines want absolute: the host
    comes from ``request.get_host()``, which checks it against ALLOWED_HOSTS.
    """
    request = context.get("request")
    if request is None:
        with translation.override(language):
            return reverse("home")
    # A page asks five times (hreflang alternates and the language switch): resolve once.
    known = request.__dict__.setdefault("_translated_urls", {})
    if language not in known:
        known[language] = _translated_path(request, language)
    url = known[language]
    return request.build_absolute_uri(url) if absolute else url


def _translated_path(request, language):
    with translation.override(language):
        url = reverse("home")
    try:
        resolve(request.path_info)
    except Resolver404:
        return url
    from portal import pagecache

    query = pagecache.kept_params(request).urlencode()
    translated = translate_url(request.path + (f"?{query}" if query else ""), language)
    if translated.startswith("/") and url_has_allowed_host_and_scheme(
        translated, allowed_hosts=None
    ):
        url = translated
    return url


@register.filter
def page_cache_key(request):
    """The page cache's key for ``request``: its path and only the parameters its view reads,
    normalised. What a fragment of a list or a search varies on."""
    from portal import pagecache

    return pagecache.page_key(request)


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL with ``page`` set to ``number``, the other parameters the page reads
    kept (``pagecache.kept_params``)."""
    from portal import pagecache

    params = pagecache.kept_params(context["request"])
    params["page"] = number
    return "?" + urlencode(sorted(params.lists()), doseq=True)


@register.filter
def percent(value, digits=2):
    """``99.47`` → ``99,47%`` in Vietnamese (the decimal separator follows the language)."""
    from django.utils.formats import number_format

    if value is None or value == "":
        return "—"
    return f"{number_format(value, int(digits))}%"
