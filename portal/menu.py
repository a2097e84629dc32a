"""The portal's main menu, defined once: the header, the footer and the site map page use it.

Sections are named by URL name, so a section whose app is not installed yet (its URL name does
not resolve) is simply left out. The static part is resolved once per language and process
(URL confs do not change while running); the news categories come from one query kept in the
cache and dropped whenever a category is saved or deleted.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    """One menu entry: a URL name or an external URL setting, with optional children."""

    label: str
    url_name: str = ""
    url_setting: str = ""  # name of a setting holding an external URL
    children: tuple = ()


@dataclass
class Link:
    """A resolved entry, ready for a template."""

    label: str
    url: str
    children: list = field(default_factory=list)
    lang: str = ""  # set when the label is in another language than the page (category names)
    external: bool = False


# Placeholder in MENU: the news categories go there.
CATEGORIES = Entry("")

MENU = (
    Entry(
        _("Giới thiệu"),
        "organisation:intro",
        children=(
            Entry(_("Giới thiệu chung"), "organisation:intro"),
            Entry(_("Cơ cấu tổ chức"), "organisation:units"),
        ),
    ),
    Entry(_("Tin tức – Sự kiện"), "articles:list", children=(CATEGORIES,)),
    Entry(
        _("Văn bản"),
        "documents:list",
        children=(
            Entry(_("Văn bản chỉ đạo, điều hành"), "documents:list"),
            Entry(_("Dự thảo lấy ý kiến"), "documents:drafts"),
        ),
    ),
    Entry(_("Lịch công tác"), "schedule:week"),
    Entry(
        _("Hỏi đáp"),
        "questions:list",
        children=(
            Entry(_("Câu hỏi đã trả lời"), "questions:list"),
            Entry(_("Gửi câu hỏi"), "questions:ask"),
            Entry(_("Tra cứu câu hỏi"), "questions:status"),
        ),
    ),
    Entry(
        _("Dịch vụ công"),  # links to its first configured portal
        children=(
            Entry(
                _("Thủ tục hành chính – Cổng Dịch vụ công quốc gia"),
                url_setting="PORTAL_NATIONAL_SERVICES_URL",
            ),
            Entry(_("Cổng Dịch vụ công của tỉnh"), url_setting="PORTAL_PROVINCE_SERVICES_URL"),
        ),
    ),
    Entry(_("Bầu cử"), "elections:list"),
    Entry(_("Thi đua – Khen thưởng"), "awards:list"),
    Entry(_("Liên hệ"), "organisation:contact"),
)

CATEGORY_CACHE_SECONDS = 600


def _category_key(language):
    return f"portal:menu:categories:{language}"


def _resolve(entry):
    """``(url, external)`` for an entry, or ``None`` when it cannot be linked yet."""
    if entry.url_setting:
        url = getattr(settings, entry.url_setting, "")
        return (url, True) if url else None
    try:
        return reverse(entry.url_name), False
    except NoReverseMatch:
        return None


def _resolve_entries(entries):
    links = []
    for entry in entries:
        if entry is CATEGORIES:
            links.append(CATEGORIES)
            continue
        children = _resolve_entries(entry.children)
        if entry.url_name or entry.url_setting:
            target = _resolve(entry)
        else:  # a heading for its children: it links to the first, and goes with them
            target = (children[0].url, children[0].external) if children else None
        if target is None:
            continue
        links.append(Link(str(entry.label), target[0], children, external=target[1]))
    return links


@lru_cache(maxsize=8)
def _static_menu(language):
    with override(language):
        return _resolve_entries(MENU)


def categories(language=None):
    """Every category as a tree of ``(link, show_in_menu)``: one query, then the cache."""
    language = language or get_language()
    key = _category_key(language)
    tree = cache.get(key)
    if tree is None:
        from articles.models import Category

        rows = list(Category.objects.only("name", "slug", "parent_id", "order", "show_in_menu"))
        by_parent = {}
        for category in rows:
            by_parent.setdefault(category.parent_id, []).append(category)

        def build(parent_id):
            return [
                (
                    Link(c.name, c.get_absolute_url(), build(c.pk), lang="vi"),
                    c.show_in_menu,
                )
                for c in by_parent.get(parent_id, [])
            ]

        tree = build(None)
        cache.set(key, tree, CATEGORY_CACHE_SECONDS)
    return tree


def _category_links(tree, *, menu_only):
    links = []
    for link, show_in_menu in tree:
        if menu_only and not show_in_menu:
            continue
        children = _category_links(link.children, menu_only=menu_only)
        links.append(Link(link.label, link.url, children, lang=link.lang))
    return links


def _fill(links, category_links):
    filled = []
    for link in links:
        if link is CATEGORIES:
            filled.extend(category_links)
        else:
            filled.append(
                Link(
                    link.label,
                    link.url,
                    _fill(link.children, category_links),
                    link.lang,
                    link.external,
                )
            )
    return filled


def main_menu(*, menu_only=True):
    """The resolved menu in the current language (at most one query, for the categories)."""
    language = get_language()
    tree = categories(language)
    return _fill(_static_menu(language), _category_links(tree, menu_only=menu_only))


def site_map():
    """The whole menu with every category, including those hidden from the menu."""
    return main_menu(menu_only=False)


def main_menu_html():
    """The header menu's items as HTML (``includes/menu_items.html``), rendered once per
    language and kept like the categories: every page shows it, and rendering its nested
    lists cost about 3 ms a page."""
    language = get_language()
    key = _html_key(language)
    html = cache.get(key)
    if html is None:
        html = render_to_string("includes/menu_items.html", {"links": main_menu()})
        cache.set(key, html, CATEGORY_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by the template, which escapes


def _html_key(language):
    return f"portal:menu:html:{language}"


def _forget_categories(**kwargs):
    languages = [code for code, _name in settings.LANGUAGES]
    cache.delete_many([_category_key(code) for code in languages])
    cache.delete_many([_html_key(code) for code in languages])


def _forget_static(*, setting, **kwargs):
    if setting.startswith("PORTAL_") or setting in {"ROOT_URLCONF", "LANGUAGES"}:
        _static_menu.cache_clear()
        _forget_categories()


def connect_signals():
    from articles.models import Category

    for signal in (post_save, post_delete):
        signal.connect(_forget_categories, sender=Category, dispatch_uid=f"menu-{signal}")
    setting_changed.connect(_forget_static, dispatch_uid="portal.menu.settings")
