import logging
import re
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.templatetags.static import static
from django.utils import translation

from articles.models import Article
from portal import menu
from portal.pagecache import cached_by_generation

logger = logging.getLogger(__name__)


def has_demo_content():
    """Whether any demo article, election, commendation or document exists, in one query."""
    from awards.models import Decision
    from documents.models import Document
    from elections.models import Election

    checks = " OR ".join(
        # Table names come from the models, not from input.
        f"EXISTS (SELECT 1 FROM {connection.ops.quote_name(m._meta.db_table)} WHERE is_demo)"  # noqa: S608
        for m in (Article, Election, Decision, Document)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {checks}")
        return bool(cursor.fetchone()[0])


_BANNER_SPLIT = re.compile(r"\s+(?=(?:tỉnh|thành phố|UBND|Ủy ban)\b)", re.IGNORECASE)


@lru_cache(maxsize=4)
def banner_lines(name, banner=""):
    """The portal's name on two lines: PORTAL_BANNER's "one|two", else split before "tỉnh"."""
    if banner:
        return tuple(part.strip() for part in banner.split("|", 1) if part.strip())
    return tuple(_BANNER_SPLIT.split(name, maxsplit=1))


PLACEHOLDER_EMBLEM = "img/emblem-placeholder.svg"


def emblem_url(value):
    if value.startswith(("https://", "http://", "/")):
        return value
    try:
        return static(value)
    except ValueError:
        # A PORTAL_EMBLEM missing from collectstatic's manifest must not break every page.
        logger.error(
            "PORTAL_EMBLEM %r is not a collected static file; using the placeholder", value
        )
        return static(PLACEHOLDER_EMBLEM)


def portal_name():
    """The portal's name, banner lines and their language, in the active language.

    English pages use PORTAL_NAME_EN (PORTAL_BANNER_EN, else the name on one line); without
    it they show the Vietnamese name, marked as Vietnamese.
    """
    if translation.get_language() == "en" and settings.PORTAL_NAME_EN:
        name, banner = settings.PORTAL_NAME_EN, settings.PORTAL_BANNER_EN
        return name, (banner_lines(name, banner) if banner else (name,)), "en"
    name = settings.PORTAL_NAME
    return name, banner_lines(name, settings.PORTAL_BANNER), "vi"


def portal(request):
    """Site-wide context: name, banner, menu and the demo banner (at most 2 queries)."""
    name, lines, lang = portal_name()
    context = {"PORTAL_NAME": name, "PORTAL_NAME_LANG": lang}
    if request.path_info.startswith("/admin/"):
        return context
    context.update(
        {
            "PORTAL_BANNER_LINES": lines,
            "PORTAL_EMBLEM_URL": emblem_url(settings.PORTAL_EMBLEM),
            "main_menu_html": menu.main_menu_html,
            # Four EXISTS over tables without an index on is_demo: once per content change.
            "has_demo_content": lambda: cached_by_generation(
                "portal:has-demo-content", has_demo_content, request=request
            ),
        }
    )
    return context
