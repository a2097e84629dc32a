from django.contrib.sitemaps import Sitemap

from questions.models import Question


class QuestionSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Question.objects.published().only("pk").order_by("-published_at", "-id")
