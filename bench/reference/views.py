"""The two reference views. The queue reads one page of an agency's open dossiers at one stage, the way
an index-ordered keyset scan of `dossier_queue_idx` (agency_id, stage, priority_at, id) reads it, and
renders them; the upload stores a file to disk after a size check. No portal code runs here."""

import uuid

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

QUEUE_SQL = """
    SELECT id, code, stage, priority_at, applicant_snapshot ->> 'full_name'
    FROM dossiers_dossier
    WHERE agency_id = %s AND stage = %s
    ORDER BY priority_at, id
    LIMIT 25
"""


def queue(request):
    try:
        agency = int(request.GET["agency"])
    except (KeyError, ValueError):
        return HttpResponseBadRequest("agency=<id> is required")
    stage = request.GET.get("stage", "appraising")[:24]
    with connection.cursor() as cursor:
        cursor.execute(QUEUE_SQL, [agency, stage])
        rows = cursor.fetchall()
    return render(request, "queue.html", {"rows": rows, "stage": stage})


@csrf_exempt
def upload(request):
    if request.method != "POST" or "file" not in request.FILES:
        return HttpResponseBadRequest("POST a file")
    upload = request.FILES["file"]
    if upload.size > settings.UPLOAD_LIMIT_BYTES:
        return HttpResponseBadRequest("too large")
    settings.UPLOAD_ROOT.mkdir(parents=True, exist_ok=True)
    target = settings.UPLOAD_ROOT / f"{uuid.uuid4().hex}.pdf"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return JsonResponse({"stored": target.name, "size": upload.size}, status=201)


def ping(request):
    return HttpResponse("ok")
