"""/payments/: the gateways' callbacks, the sandbox gateway's page and the return page."""

from django.urls import path

from dossiers.views import payments

app_name = "payments"

urlpatterns = [
    path("callback/<str:gateway>/", payments.callback, name="callback"),
    path("sandbox/<uuid:order_id>/", payments.sandbox_pay, name="sandbox_pay"),
    path("return/<uuid:order_id>/", payments.returned, name="returned"),
]
