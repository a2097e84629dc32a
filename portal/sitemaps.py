from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.sitemaps import ArticleSitemap, CategorySitemap
from awards.models import Decision
from documents.sitemaps import DocumentSitemap, DraftSitemap
from elections.models import Election, ElectoralUnit
from organisation.sitemaps import IntroPageSitemap, NewSectionsSitemap
from questions.sitemaps import QuestionSitemap


class SectionSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return [
            "home",
            "articles:list",
            "elections:list",
            "awards:list",
            "documents:list",
            "documents:drafts",
        ]

    def location(self, item):
        return reverse(item)


class ElectionSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Election.objects.published().only("slug")


class ElectoralUnitSitemap(Sitemap):
    """Each unit's results page: people look for their own unit and its winners."""

    changefreq = "monthly"

    def items(self):
        return (
            ElectoralUnit.objects.filter(contest__election__in=Election.objects.published())
            .values_list("contest__election__slug", "pk")
            .order_by("contest__election_id", "contest_id", "number")
        )

    def location(self, item):
        return reverse("elections:unit", args=item)


class DecisionSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Decision.objects.only("slug").order_by("-id")


SITEMAPS = {
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "elections": ElectionSitemap,
    "election-units": ElectoralUnitSitemap,
    "awards": DecisionSitemap,
    "sections-new": NewSectionsSitemap,
    "intro": IntroPageSitemap,
    "questions": QuestionSitemap,
    "documents": DocumentSitemap,
    "drafts": DraftSitemap,
}
