from django.urls import path

from procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("preview/<id:pk>/", views.version_preview, name="preview"),
    path("templates/<id:pk>/", views.template_download, name="template"),
    path("<str:code>/", views.procedure_detail, name="detail"),
]
