"""The sandbox's payment page lives in the dossiers app; these tests only need its name to reverse."""

from django.http import HttpResponse
from django.urls import include, path

payments = (
    [path("payments/sandbox/<str:order_id>/", lambda request, order_id: HttpResponse(), name="sandbox_pay")],
    "payments",
)
urlpatterns = [path("", include(payments))]
