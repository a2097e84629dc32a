from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from articles.feeds import CategoryFeed, LatestArticlesFeed
from articles.sitemaps import ArticleSitemap, CategorySitemap
from portal import views

admin.site.site_header = _("Quản trị cổng thông tin")
admin.site.site_title = _("Quản trị cổng thông tin")
admin.site.index_title = _("Bảng điều khiển")
if settings.ADMIN_REQUIRE_OTP:
    from django_otp.admin import OTPAdminSite

    admin.site.__class__ = OTPAdminSite

sitemaps = {"articles": ArticleSitemap, "categories": CategorySitemap}

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("rss/", LatestArticlesFeed(), name="rss"),
    path("rss/<slug:slug>/", CategoryFeed(), name="rss-category"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("articles.urls")),
    # elections: path("", include("elections.urls")),
    prefix_default_language=False,
)

urlpatterns += i18n_patterns(path("", include("awards.urls")), prefix_default_language=False)

# Uploaded files: served by the web server or object storage in production; here only when
# DEBUG is on or PORTAL_SERVE_MEDIA is set (a single-machine deployment without a proxy).
if settings.DEBUG or getattr(settings, "PORTAL_SERVE_MEDIA", False):
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler404 = "portal.views.page_not_found"
