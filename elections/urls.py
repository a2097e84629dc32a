from django.urls import path

from elections import views

app_name = "elections"

urlpatterns = [
    path("bau-cu/", views.election_list, name="list"),
    path("bau-cu/<slug:slug>/", views.election_detail, name="detail"),
    path("bau-cu/<slug:slug>/don-vi/<int:pk>/", views.unit_detail, name="unit"),
    path("bau-cu/<slug:slug>/ket-qua.csv", views.results_csv, name="results-csv"),
    path("bau-cu/<slug:slug>/ket-qua.json", views.results_json, name="results-json"),
    path("bau-cu/<slug:slug>/ty-le-di-bau.csv", views.turnout_csv, name="turnout-csv"),
    path("bau-cu/<slug:slug>/ty-le-di-bau.json", views.turnout_json, name="turnout-json"),
]
