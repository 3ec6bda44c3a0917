from django.urls import path

from dossiers.views import citizen, counter, desk, filing, indicators, printouts, public, statistics, verify

app_name = "dossiers"
urlpatterns = [
    path("dossiers/", citizen.mine, name="mine"),
    path("dossiers/new/<str:code>/", filing.start, name="new"),
    path("dossiers/drafts/<uuid:public_id>/", filing.draft, name="draft"),
    path("dossiers/drafts/<uuid:public_id>/applicant/", filing.applicant, name="draft_applicant"),
    path("dossiers/drafts/<uuid:public_id>/form/<int:index>/", filing.form_section, name="draft_form"),
    path("dossiers/drafts/<uuid:public_id>/documents/", filing.documents, name="draft_documents"),
    path("dossiers/drafts/<uuid:public_id>/documents/<int:component_id>/pick/", filing.pick, name="draft_pick"),
    path("dossiers/drafts/<uuid:public_id>/delivery/", filing.delivery, name="draft_delivery"),
    path("dossiers/drafts/<uuid:public_id>/check/", filing.check, name="draft_check"),
    path("dossiers/drafts/<uuid:public_id>/delete/", filing.delete_draft, name="draft_delete"),
    path("dossiers/<str:code>/", citizen.detail, name="detail"),
    path("dossiers/<str:code>/submitted/", citizen.submitted, name="submitted"),
    path("dossiers/<str:code>/supplement/", citizen.supplement, name="supplement"),
    path("dossiers/<str:code>/withdraw/", citizen.withdraw, name="withdraw"),
    path("dossiers/<str:code>/rate/", citizen.rate, name="rate"),
    path("dossiers/<str:code>/forms/<str:number>/", printouts.citizen_form, name="citizen_form"),
    path("files/<uuid:public_id>/", public.download, name="file"),
    path("track/", public.track, name="track"),
    path("verify/", verify.verify, name="verify"),
    path("verify/<uuid:public_id>/", verify.verify, name="verify_document"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("statistics/indicators.json", statistics.indicators_json, name="indicators_json"),
    path("desk/", desk.queue, name="desk_queue"),
    path("desk/dossiers/<str:code>/", desk.dossier_page, name="desk_dossier"),
    path("desk/dossiers/<str:code>/act/<str:action>/", desk.act, name="desk_act"),
    path("desk/dossiers/<str:code>/forms/<str:number>/", printouts.dossier_form, name="desk_form"),
    path("desk/register/", printouts.register, name="desk_register"),
    path("desk/indicators/", indicators.dashboard, name="desk_indicators"),
    path("desk/indicators/<str:figure>/", indicators.figure_dossiers, name="desk_indicator_dossiers"),
    path("desk/counter/", counter.counter_intake, name="counter"),
    path("desk/dossiers/<str:code>/on-the-spot/", counter.settle_on_the_spot, name="desk_on_the_spot"),
    path("files/<uuid:public_id>/preview/", public.preview, name="file_preview"),
]
