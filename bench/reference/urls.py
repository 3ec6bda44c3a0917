from django.urls import path

from bench.reference import views

urlpatterns = [
    path("queue/", views.queue),
    path("upload/", views.upload),
    path("ping", views.ping),
]
