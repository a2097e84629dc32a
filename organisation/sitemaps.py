from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from organisation.models import IntroPage


class NewSectionsSitemap(Sitemap):
    """The section pages of organisation, questions and schedule."""

    changefreq = "weekly"

    def items(self):
        return [
            "organisation:intro",
            "organisation:units",
            "organisation:contact",
            "questions:list",
            "schedule:week",
        ]

    def location(self, item):
        return reverse(item)


class IntroPageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return IntroPage.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, page):
        return page.updated_at
