from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.static import serve

from articles.models import Article
from portal.pagecache import vary_on_params


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


@vary_on_params()  # tracking parameters (?fbclid=...) share the cached page
def home(request):
    return render(request, "portal/home.html", _home_context())


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


def media(request, path):
    """Uploaded files, for a single machine without a web server in front (see README)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, files)."""
    return redirect(static("img/favicon.svg"), permanent=True)
