"""Organisation data shaped for pages: trees built in Python from one query, and the cached
site-wide contact details (footer, contact page, home hotline)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from organisation.models import AgencyLink, IntroPage, SiteContact, Unit

SITE_CACHE_KEY = "organisation:{name}:{lang}"
SITE_CACHE_SECONDS = 24 * 3600  # invalidated on every change (organisation/signals.py)
CONTACT_FIELDS = (
    "agency_name", "responsible_person", "address", "phone", "hotline", "fax", "email", "licence",
)  # fmt: skip


def current_language():
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def lang_of(obj, field_name, language=None):
    """The language a translated field is shown in: the current one, or ``vi`` on fallback.

    Templates put it in ``lang=""`` so that Vietnamese text on an English page is read with
    Vietnamese pronunciation by screen readers.
    """
    language = language or current_language()
    langs = getattr(obj, "langs", None)
    if isinstance(langs, dict):
        return langs.get(field_name, language)
    if language == settings.LANGUAGE_CODE:
        return language
    own = getattr(obj, f"{field_name}_{language}", None)
    if own is None and not hasattr(obj, f"{field_name}_{language}"):
        return language  # not a translated field
    return language if own else settings.LANGUAGE_CODE


@dataclass
class SiteContactData:
    """Plain values (cache-friendly) of :class:`SiteContact` in one language."""

    agency_name: str = ""
    responsible_person: str = ""
    address: str = ""
    phone: str = ""
    hotline: str = ""
    fax: str = ""
    email: str = ""
    licence: str = ""
    langs: dict = field(default_factory=dict)


@dataclass
class AgencyLinkData:
    name: str
    url: str
    langs: dict = field(default_factory=dict)


def _cached(name, load):
    """``load(language)`` for the current language, kept in the cache until a change."""
    language = current_language()
    key = SITE_CACHE_KEY.format(name=name, lang=language)
    value = cache.get(key)
    if value is None:
        # Wrapped so that "no record" (None) is cached too.
        value = (load(language),)
        cache.set(key, value, SITE_CACHE_SECONDS)
    return value[0]


def _site_contact_load(language):
    contact = SiteContact.objects.first()
    if contact is None:
        return None
    return SiteContactData(
        **{name: getattr(contact, name) for name in CONTACT_FIELDS},
        langs={name: lang_of(contact, name, language) for name in CONTACT_FIELDS},
    )


def _agency_links_load(language):
    return [
        AgencyLinkData(
            name=link.name, url=link.url, langs={"name": lang_of(link, "name", language)}
        )
        for link in AgencyLink.objects.all()
    ]


def site_contact():
    """The portal's contact details in the current language or None (cached; 1 query on a miss)."""
    return _cached("contact", _site_contact_load)


def agency_links():
    """Links to other state agencies in the current language (cached; 1 query on a miss)."""
    return _cached("links", _agency_links_load)


def site_context_invalidate():
    cache.delete_many(
        [
            SITE_CACHE_KEY.format(name=name, lang=code)
            for name in ("contact", "links")
            for code, _name in settings.LANGUAGES
        ]
    )


def tree_build(nodes):
    """Attach ``tree_children`` to each node and return the roots, keeping the given order."""
    by_id = {node.pk: node for node in nodes}
    roots = []
    for node in nodes:
        node.tree_children = []
    for node in nodes:
        parent = by_id.get(node.parent_id)
        if parent is None:
            roots.append(node)
        else:
            parent.tree_children.append(node)
    return roots


def intro_tree():
    """Published introduction pages as a tree (one query).

    A page under a hidden page is hidden too, however deep: only pages whose every ancestor is
    published are kept.
    """
    pages = list(IntroPage.objects.published().defer("body_vi", "body_en", "body"))
    by_id = {page.pk: page for page in pages}

    def reachable(page):
        for _level in range(IntroPage.MAX_DEPTH + 2):  # bounded: bad data may hold a cycle
            if page.parent_id is None:
                return True
            page = by_id.get(page.parent_id)
            if page is None:
                return False
        return False

    return tree_build([page for page in pages if reachable(page)])


def tree_ids(roots):
    """The primary keys of every node of a tree built by :func:`tree_build`."""
    ids, stack = set(), list(roots)
    while stack:
        node = stack.pop()
        ids.add(node.pk)
        stack.extend(node.tree_children)
    return ids


def unit_tree():
    """Units with their contact officials as a tree, in two queries."""
    units = list(Unit.objects.prefetch_related("officials"))
    return tree_build(units)


def public_service_links():
    """The public-service portals the operator configured, as the menu links them."""
    portals = [
        (_("Cổng Dịch vụ công quốc gia"), settings.PORTAL_NATIONAL_SERVICES_URL),
        (_("Cổng Dịch vụ công của tỉnh"), settings.PORTAL_PROVINCE_SERVICES_URL),
    ]
    return [{"name": name, "url": url} for name, url in portals if url]


def home_block_context():
    """Hotline and public-service links for the home page (cached: 0 or 1 query)."""
    return {"service_links": public_service_links(), "hotline_contact": site_contact()}
