from django.urls import path

from awards import views

app_name = "awards"

urlpatterns = [
    path("khen-thuong/", views.decision_list, name="list"),
    path("khen-thuong/du-lieu-mo.csv", views.open_data_csv, name="open-data"),
    path("khen-thuong/<slug:slug>/", views.decision_detail, name="detail"),
]
