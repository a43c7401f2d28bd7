from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("luot-xem/<int:page_id>/", views.record_view, name="record_view"),
]
