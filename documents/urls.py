from django.urls import path

from documents import views
from documents.feeds import LatestDocumentsFeed

app_name = "documents"

# Fixed paths first: a document slug can never take them (documents.models.RESERVED_SLUGS).
urlpatterns = [
    path("van-ban/", views.document_list, name="list"),
    path("van-ban/rss/", LatestDocumentsFeed(), name="feed"),
    path("van-ban/du-lieu-mo.csv", views.open_data_csv, name="open-data-csv"),
    path("van-ban/du-lieu-mo.json", views.open_data_json, name="open-data-json"),
    path("van-ban/tep/<int:pk>/", views.file_download, name="file"),
    path("van-ban/tep/<int:pk>/xem/", views.file_inline, name="file-inline"),
    path("van-ban/du-thao/", views.draft_list, name="drafts"),
    path("van-ban/du-thao/<slug:slug>/", views.draft_detail, name="draft"),
    path("van-ban/du-thao/<slug:slug>/da-gui/", views.draft_thanks, name="draft-thanks"),
    path("van-ban/<slug:slug>/", views.document_detail, name="detail"),
]
