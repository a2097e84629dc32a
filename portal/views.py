import re

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.static import serve

from articles.models import Article
from portal import menu


def _home_context():
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


# The home page is the same for every visitor and the busiest page: its HTML is kept for a
# minute, so a scheduled article reaches the home page at most a minute late (its own page,
# lists and feeds show it on time).
HOME_CACHE_SECONDS = 60


def home(request):
    if request.GET:  # tracking parameters and the like: render, don't cache a variant
        return render(request, "portal/home.html", _home_context())
    key = f"portal:home:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("portal/home.html", _home_context(), request=request)
        cache.set(key, html, HOME_CACHE_SECONDS)
    return HttpResponse(html)


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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


def sitemap_page(request):
    """*Sơ đồ cổng*: every section and category, from the menu's one definition."""
    return render(request, "portal/sitemap.html", {"sections": menu.site_map()})


# Uploaded images get a fresh random name each (portal/images.py) and are never rewritten, so
# browsers may keep them for a year. Other uploads keep the default (revalidated).
IMMUTABLE_MEDIA = re.compile(r"^images/[0-9a-f]{2}/[0-9a-f]{32}(-\d+)?\.(jpg|jpeg|png|webp)$")


def media(request, path):
    """Uploaded files, for a single machine without a web server in front (see README)."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200 and IMMUTABLE_MEDIA.match(path):
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, files)."""
    return redirect(static("img/favicon.svg"), permanent=True)
