import re
import sys

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.views.decorators.csrf import requires_csrf_token
from django.views.static import serve

from articles.models import Article
from documents.services import home_block_context as documents_home_block
from organisation.services import home_block_context as organisation_home_block
from organisation.services import intro_tree, lang_of
from portal import menu
from portal.middleware import DATABASE_UNAVAILABLE, database_unavailable_response
from portal.pagecache import vary_on_params
from questions.services import home_block_context as questions_home_block
from questions.services import topics_with_counts
from schedule.services import home_block_context as schedule_home_block


def _home_news():
    published = Article.objects.published().for_listing()
    # One query whatever is featured: the newest featured article, else the newest article.
    featured = published.order_by("-is_featured", "-publish_at", "-id").first()
    others = published.exclude(pk=featured.pk) if featured else published
    latest_list = list(others[:6])
    per_category = list(
        others.latest_per_category(4).order_by("category__order", "category__name", "rank")
    )
    sections = []
    for article in per_category:
        if not sections or sections[-1]["category"].pk != article.category_id:
            sections.append({"category": article.category, "articles": []})
        sections[-1]["articles"].append(article)
    return {"featured": featured, "latest": latest_list, "sections": sections}


def _home_context():
    return {
        # Read only when the news blocks are rendered: a cached fragment needs no query.
        "news": SimpleLazyObject(_home_news),
        **documents_home_block(),
        **schedule_home_block(),
        **questions_home_block(),
        **organisation_home_block(),
    }


@vary_on_params()  # tracking parameters (?fbclid=...) share the cached page
def home(request):
    return render(request, "portal/home.html", _home_context())


def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /tim-kiem/",
        "Disallow: /en/tim-kiem/",
        f"Sitemap: {sitemap}",
    ]
    if getattr(settings, "PORTAL_NOINDEX", False):
        lines = ["User-agent: *", "Disallow: /"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    """500, or the 503 page when the error is the database being unreachable.

    Reached for errors raised outside views (a session saved by middleware, for instance);
    errors in views are answered by portal.middleware.DatabaseUnavailableMiddleware.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        return database_unavailable_response(request, error)
    return HttpResponseServerError(render_to_string("500.html"))


def _intro_links(pages):
    return [
        menu.Link(
            page.title,
            page.get_absolute_url(),
            _intro_links(page.tree_children),
            lang=lang_of(page, "title"),
        )
        for page in pages
    ]


def _topic_links(topics):
    url = reverse("questions:list")
    return [
        # Topic names have no English version.
        menu.Link(topic.name, f"{url}?{urlencode({'linh-vuc': topic.slug})}", lang="vi")
        for topic in topics
    ]


def _attach(links, url, children):
    """Give ``children`` to the entry linking to ``url`` that has none of its own: a section's
    first entry ("Giới thiệu chung" under "Giới thiệu"), not the section heading itself."""
    for link in links:
        if link.url == url and not link.children:
            link.children = children
            return True
        if _attach(link.children, url, children):
            return True
    return False


def sitemap_page(request):
    """*Sơ đồ cổng*: every section and category, from the menu's one definition, with the
    introduction pages and the question topics under their sections (one query each)."""
    sections = menu.site_map()  # fresh links: adding children changes no cached menu
    _attach(sections, reverse("organisation:intro"), _intro_links(intro_tree()))
    _attach(sections, reverse("questions:list"), _topic_links(topics_with_counts()))
    return render(request, "portal/sitemap.html", {"sections": sections})


# Uploaded images get a fresh random name each (portal/images.py) and are never rewritten, so
# browsers may keep them for a year. Other uploads keep the default (revalidated).
IMMUTABLE_MEDIA = re.compile(r"^images/[0-9a-f]{2}/[0-9a-f]{32}(-\d+)?\.(jpg|jpeg|png|webp)$")


def media(request, path):
    """Uploaded files, for a single machine without a web server in front (see README)."""
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # A name too long for the file system, a NUL byte, a path leaving the folder: no such file.
    except (OSError, ValueError, SuspiciousFileOperation) as exc:
        raise Http404(path) from exc
    if response.status_code == 200 and IMMUTABLE_MEDIA.match(path):
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, files)."""
    return redirect(static("img/favicon.svg"), permanent=True)
