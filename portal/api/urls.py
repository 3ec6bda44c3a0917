"""The API's addresses: /api/v1/ (each app's api/urls.py), the OpenAPI schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from oauth2_provider import views as oauth_views

from portal.api import notifications, views

urlpatterns = [
    path("v1/", include("procedures.api.urls")),
    path("v1/", include("dossiers.api.urls")),
    path("v1/notifications/", notifications.NotificationList.as_view(), name="api-notifications"),
    path("v1/notifications/<id:pk>/read/", notifications.NotificationRead.as_view(), name="api-notification-read"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # OAuth2 for partner systems: a token by client credentials, and giving one back.
    path("oauth/token/", oauth_views.TokenView.as_view(), name="oauth-token"),
    path("oauth/revoke/", oauth_views.RevokeTokenView.as_view(), name="oauth-revoke"),
    path("docs/", views.docs, name="api-docs"),
]
