from django.urls import path

from schedule import views

app_name = "schedule"

urlpatterns = [
    path("lich-cong-tac/", views.week, name="week"),
    path("lich-cong-tac/ban-in/", views.week_print, name="print"),
    path("lich-cong-tac/lich.ics", views.ical, name="ical"),
]
