from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from documents.models import Document
from portal.richtext import feed_text

FEED_SIZE = 30


class LatestDocumentsFeed(Feed):
    feed_type = Rss201rev2Feed
    description = _("Văn bản mới đăng")
    language = "vi"

    def title(self, obj=None):
        return f"{_('Văn bản')} – {settings.PORTAL_NAME}"

    def link(self, obj=None):
        return reverse("documents:list")

    def items(self, obj=None):
        return (
            Document.objects.published().for_listing().order_by("-published_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item):
        return f"{item.doc_type.name} {item.number}"

    def item_description(self, item):
        return feed_text(item.summary)  # readers treat a description as HTML

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.doc_type.name, item.issuer.name]
