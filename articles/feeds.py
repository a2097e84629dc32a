from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Category
from portal.richtext import feed_text

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    feed_type = Rss201rev2Feed
    description = _("Tin mới nhất")
    language = "vi"

    def title(self, obj=None):
        return settings.PORTAL_NAME

    def link(self, obj=None):
        return "/tin-tuc/"

    def items(self, obj=None):
        return Article.objects.published().for_listing()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return feed_text(item.summary)

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.category.name]


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj=None):
        return f"{obj.name} – {settings.PORTAL_NAME}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def items(self, obj=None):
        return (
            Article.objects.published()
            .for_listing()
            .filter(Q(category=obj) | Q(category__parent=obj))[:FEED_SIZE]
        )
