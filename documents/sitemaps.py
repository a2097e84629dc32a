from django.contrib.sitemaps import Sitemap

from documents.models import Document, Draft


class DocumentSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Document.objects.published().only("slug", "updated_at").order_by("-issued_on", "-id")

    def lastmod(self, item):
        return item.updated_at


class DraftSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Draft.objects.published().only("slug", "updated_at").order_by("-opens_at", "-id")

    def lastmod(self, item):
        return item.updated_at
