"""Fuzz every public URL pattern: whatever the path, query, headers or text, never a 5xx.

The patterns are read from the URL resolver (so new apps are covered without touching this
file); path converters are filled with random values, sometimes well formed, sometimes not.
Each pattern gets a bounded number of examples with a fixed seed, so the suite stays fast and
repeatable; ``PORTAL_FUZZ_EXAMPLES=2000 PORTAL_FUZZ_RANDOM=1`` runs a longer, random search.
"""

import os
import re
import string
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organisation.models import IntroPage
from questions.models import Question, Topic
from tests import factories
from tests.factories import (
    attach_pdf,
    election,
    make_decision,
    make_document,
    make_draft,
    make_question,
)

EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "10"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("PORTAL_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_CONVERTER = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")


def public_routes():
    """Every route outside the admin, as ``(template, name)``; i18n routes in both languages."""

    def walk(patterns, prefixes):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if isinstance(pattern.pattern, LocalePrefixPattern):
                    inner = [p + lang for p in prefixes for lang in ("", "en/")]
                else:
                    inner = [p + str(pattern.pattern) for p in prefixes]
                yield from walk(pattern.url_patterns, inner)
            else:
                for prefix in prefixes:
                    yield prefix + str(pattern.pattern), pattern.name

    routes = sorted(set(walk(get_resolver().url_patterns, [""])), key=lambda r: r[0])
    return [r for r in routes if not r[0].startswith("admin/")]


ROUTES = public_routes()

# Text that trips Vietnamese-aware code: decomposed (NFD) marks, zero-width and bidi controls,
# NUL, surrogate-free astral characters, look-alikes and very long runs.
TRICKY = [
    "Đà Nẵng",
    "Đà Nẵng",  # NFD
    "a\u200bb",
    "\u202eabc\u202c",
    "\u2066x\u2069",
    "\ufeff",
    "\x00",
    "\x00abc",
    "%",
    "%zz",
    "%C3",
    "%C3%28",
    "%00",
    "%2F%2Fevil.com",
    "../..",
    "\\",
    "𝔘𝔫𝔦",
    "🇻🇳",
    "'\"<>&;",
    "-1",
    "0",
    "9" * 40,
    "1e999",
    "NaN",
    "a" * 256,  # one byte over a file name's limit
    "ả" * 100,  # 100 characters, 300 bytes
    "x" * 5000,
    "ff" * 2000,
]
text = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.text(alphabet=string.ascii_letters + string.digits + "-_", max_size=60),
    st.builds(lambda s, n: s * n, st.sampled_from(["a", "ả", "%", "/"]), st.integers(1, 3000)),
)
# The hand-picked values first: a short run must try them, random search comes after.
slug = st.one_of(
    st.sampled_from(TRICKY),
    st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True),
    text,
)


def raw(value, invalid_escapes):
    """``value`` percent-encoded as a browser would, or left raw (a hand-written request)."""
    return value if invalid_escapes else quote(value, safe="/")


# Every query parameter a public view reads, and a tracking one.
PARAMS = [
    "q", "page", "trang", "nam", "utm_source", "authority", "form", "year", "type", "issuer",
    "field", "status", "trang-thai", "linh-vuc", "tuan", "ma", "t",
]  # fmt: skip


@st.composite
def requests(draw, template, known_slugs):
    def fill(match):
        kind = match.group("kind") or "str"
        if kind == "slug":
            value = draw(st.one_of(st.sampled_from(known_slugs), slug))
        elif kind == "int":
            value = str(draw(st.one_of(st.integers(-5, 10**20), st.just("1"))))
        elif kind == "path":
            value = "/".join(draw(st.lists(slug, min_size=1, max_size=4)))
        else:
            value = draw(slug)
        return raw(value, draw(st.booleans()))

    path = "/" + _CONVERTER.sub(fill, template)
    if draw(st.integers(0, 9)) == 0:  # sometimes something appended to the route itself
        path += raw(draw(text), draw(st.booleans()))
    params = draw(
        st.lists(
            st.tuples(
                st.one_of(st.sampled_from(PARAMS), text),
                text,
                st.booleans(),
            ),
            max_size=4,
        )
    )
    query = "&".join(f"{raw(k, invalid)}={raw(v, invalid)}" for k, v, invalid in params)
    header_value = text.map(lambda s: s.encode("utf-8").decode("latin-1"))  # as WSGI sees it
    headers = draw(
        st.dictionaries(
            st.sampled_from(
                [
                    "HTTP_ACCEPT_LANGUAGE",
                    "HTTP_ACCEPT",
                    "HTTP_USER_AGENT",
                    "HTTP_REFERER",
                    "HTTP_COOKIE",
                    "HTTP_X_FORWARDED_FOR",
                    "HTTP_IF_MODIFIED_SINCE",
                    "HTTP_IF_NONE_MATCH",
                    "HTTP_RANGE",
                    "HTTP_ACCEPT_ENCODING",
                ]
            ),
            st.one_of(header_value, st.sampled_from(["en", "vi-VN,vi;q=0.9", "*/*", "bytes=0-"])),
            max_size=4,
        )
    )
    method = draw(st.sampled_from(["get", "get", "head", "post"]))
    return method, path + ("?" + query if query else ""), headers


@pytest.fixture
def content(db, settings):
    settings.PORTAL_RATELIMIT_ENABLED = False  # the fuzzer is one very busy client
    (settings.MEDIA_ROOT / "uploads").mkdir(parents=True)  # as on a server
    category = factories.category("Thời sự")
    article = factories.article(category=category)
    chosen = election()
    decision = make_decision()
    # Real records of the other sections, so their detail pages (and the open draft's comment
    # form, question 1, an introduction page) are fuzzed too, not only their 404s.
    document = make_document(number="42/2022/NĐ-CP")
    attach_pdf(document)
    draft = make_draft()
    intro = IntroPage.objects.create(title_vi="Giới thiệu chung")
    topic = Topic.objects.create(name="Đất đai")
    make_question(topic, status=Question.Status.PUBLISHED, answer="<p>Đáp</p>", title="Tách thửa")
    slugs = [document.slug, draft.slug, intro.slug, topic.slug]
    return [category.slug, article.slug, chosen.slug, decision.slug, *slugs, "khong-co"]


@pytest.mark.parametrize(("template", "name"), ROUTES, ids=[r[0] or "/" for r in ROUTES])
def test_no_public_url_answers_5xx(content, template, name):
    client = Client()  # re-raises a view's exception, so a failure shows the traceback

    @FUZZ
    @given(request=requests(template, content))
    def run(request):
        method, url, headers = request
        response = getattr(client, method)(url, **headers)
        assert response.status_code < 500, (method, url, headers)

    run()


def test_every_public_route_is_fuzzed():
    templates = [template for template, _name in ROUTES]
    for expected in ("", "en/", "tin-tuc/<slug:slug>/", "tim-kiem/", "rss/", "media/<path:path>"):
        assert expected in templates
    assert not any(t.startswith("admin/") for t in templates)
