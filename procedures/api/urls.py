from django.urls import path

from procedures.api import views

urlpatterns = [
    path("procedures/", views.ProcedureList.as_view(), name="api-procedures"),
    path("procedures/<str:code>/", views.ProcedureDetail.as_view(), name="api-procedure"),
    path("sectors/", views.SectorList.as_view(), name="api-sectors"),
    path("agencies/", views.AgencyList.as_view(), name="api-agencies"),
]
