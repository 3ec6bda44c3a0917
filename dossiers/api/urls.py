from django.urls import path

from dossiers.api import desk, drafts, views

urlpatterns = [
    path("dossiers/", views.DossierList.as_view(), name="api-dossiers"),
    path("dossiers/<str:code>/", views.DossierDetail.as_view(), name="api-dossier"),
    path("desk/queue/", views.DeskQueue.as_view(), name="api-desk-queue"),
    path("desk/dossiers/<str:code>/actions/<str:action>/", desk.DeskAction.as_view(), name="api-desk-action"),
    path("drafts/", drafts.DraftStart.as_view(), name="api-drafts"),
    path("drafts/<uuid:public_id>/", drafts.DraftDetail.as_view(), name="api-draft"),
    path("drafts/<uuid:public_id>/files/", drafts.DraftFiles.as_view(), name="api-draft-files"),
    path("drafts/<uuid:public_id>/files/<uuid:file_id>/", drafts.DraftFile.as_view(), name="api-draft-file"),
    path("drafts/<uuid:public_id>/submit/", drafts.DraftSubmit.as_view(), name="api-draft-submit"),
]
