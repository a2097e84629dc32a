from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("tin-tuc/", views.article_list, name="list"),
    path("tin-tuc/<slug:slug>/", views.article_detail, name="detail"),
    path("tin-tuc/<slug:slug>/ban-in/", views.article_print, name="print"),
    path("chuyen-muc/<slug:slug>/", views.category_detail, name="category"),
    path("tim-kiem/", views.search, name="search"),
]
