from django.urls import path

from organisation import views

app_name = "organisation"

urlpatterns = [
    path("gioi-thieu/", views.intro, name="intro"),
    path("gioi-thieu/<slug:slug>/", views.page, name="page"),
    path("co-cau-to-chuc/", views.units, name="units"),
    path("lien-he/", views.contact, name="contact"),
]
