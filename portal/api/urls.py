"""The API's addresses: /api/v1/ (each app's api/urls.py), the OpenAPI schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from portal.api import notifications, views

urlpatterns = [
    path("v1/", include("procedures.api.urls")),
    path("v1/", include("dossiers.api.urls")),
    path("v1/notifications/", notifications.NotificationList.as_view(), name="api-notifications"),
    path("v1/notifications/<int:pk>/read/", notifications.NotificationRead.as_view(), name="api-notification-read"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", views.docs, name="api-docs"),
]
