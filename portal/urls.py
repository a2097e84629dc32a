from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from articles.feeds import CategoryFeed, LatestArticlesFeed
from portal import health, views
from portal.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon),
    # Feeds and the sitemap are cached like every public page (portal/pagecache.py).
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("rss/", LatestArticlesFeed(), name="rss"),
    path("rss/<slug:slug>/", CategoryFeed(), name="rss-category"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("so-do-cong/", views.sitemap_page, name="sitemap-page"),
    path("", include("articles.urls")),
    path("", include("elections.urls")),
    path("", include("awards.urls")),
    path("", include("organisation.urls")),
    path("", include("questions.urls")),
    path("", include("schedule.urls")),
    path("", include("documents.urls")),
    prefix_default_language=False,
)


# Uploaded files: served by the web server or object storage in production; here only when
# DEBUG is on or PORTAL_SERVE_MEDIA is set (a single-machine deployment without a proxy).
if settings.DEBUG or settings.PORTAL_SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", views.media, name="media")]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
