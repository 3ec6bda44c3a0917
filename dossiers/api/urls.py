from django.urls import path

from dossiers.api import citizen, desk, drafts, partner, views

urlpatterns = [
    path("dossiers/", views.DossierList.as_view(), name="api-dossiers"),
    path("dossiers/<str:code>/", views.DossierDetail.as_view(), name="api-dossier"),
    path("dossiers/<str:code>/withdraw/", citizen.Withdraw.as_view(), name="api-dossier-withdraw"),
    path("dossiers/<str:code>/rate/", citizen.Rate.as_view(), name="api-dossier-rate"),
    path("dossiers/<str:code>/supplement/", citizen.Supplement.as_view(), name="api-dossier-supplement"),
    path("dossiers/<str:code>/supplement/files/", citizen.SupplementFiles.as_view(), name="api-supplement-files"),
    path("dossiers/<str:code>/supplement/send/", citizen.SupplementSend.as_view(), name="api-supplement-send"),
    path("desk/queue/", views.DeskQueue.as_view(), name="api-desk-queue"),
    path("desk/dossiers/<str:code>/actions/<str:action>/", desk.DeskAction.as_view(), name="api-desk-action"),
    path("drafts/", drafts.DraftStart.as_view(), name="api-drafts"),
    path("drafts/<uuid:public_id>/", drafts.DraftDetail.as_view(), name="api-draft"),
    path("drafts/<uuid:public_id>/files/", drafts.DraftFiles.as_view(), name="api-draft-files"),
    path("drafts/<uuid:public_id>/files/<uuid:file_id>/", drafts.DraftFile.as_view(), name="api-draft-file"),
    path("drafts/<uuid:public_id>/submit/", drafts.DraftSubmit.as_view(), name="api-draft-submit"),
    path("partner/dossiers/", partner.PartnerDossiers.as_view(), name="api-partner-dossiers"),
    path("partner/dossiers/<str:code>/", partner.PartnerDossier.as_view(), name="api-partner-dossier"),
    path("partner/status-changes/", partner.PartnerStatusChanges.as_view(), name="api-partner-status"),
    path("partner/tasks/", partner.PartnerTasks.as_view(), name="api-partner-tasks"),
    path("partner/tasks/<id:task_id>/", partner.PartnerTask.as_view(), name="api-partner-task"),
    path("partner/tasks/<id:task_id>/reply/", partner.PartnerTaskReply.as_view(), name="api-partner-task-reply"),
]
