from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from portal.admin_site import admin_user_required
from procedures import selectors
from procedures.constants import Level, OnlineLevel
from procedures.forms import build_answer_form

PAGE_SIZE = 20


def procedure_list(request):
    params = {key: request.GET.get(key, "").strip()[:200] for key in ("q", "sector", "level", "agency", "online")}
    versions = selectors.procedure_list_published(
        q=params["q"],
        sector=params["sector"],
        level=params["level"],
        agency=params["agency"],
        online_level=params["online"],
    )
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "procedures/list.html",
        {
            "page": page,
            "params": params,
            "querystring": query.urlencode(),
            "sectors": selectors.sector_list_with_published(),
            "agencies": selectors.agency_list_offering_procedures(),
            "levels": Level.choices,
            "online_levels": OnlineLevel.choices,
            "filtered": any(params.values()),
        },
    )


def procedure_detail(request, code):
    version = selectors.procedure_detail_get(code=code)
    if version is None:
        raise Http404
    return render(
        request,
        "procedures/detail.html",
        {
            "version": version,
            "procedure": version.procedure,
            "fees": selectors.fee_rows(version),
            "charges": selectors.version_charges(version),
            "filing_url": filing_url(code),
        },
    )


def filing_url(code: str) -> str:
    """Where a citizen starts filing this procedure online (the dossiers app routes it)."""
    try:
        return reverse("dossiers:new", args=[code])
    except NoReverseMatch:
        return f"/dossiers/new/{code}/"


def template_download(request, pk):
    """Form templates are public documents, but only those of a published version are served."""
    template = selectors.form_template_get_published(pk=pk)
    if template is None or not template.file:
        raise Http404
    return FileResponse(template.file.open("rb"), as_attachment=True, filename=template.download_name)


@admin_user_required
def version_preview(request, pk):
    """The citizen form a version (usually a draft) produces, for catalog admins to check."""
    version = selectors.procedure_version_get(pk=pk)
    if version is None:
        raise Http404
    form = build_answer_form(version.fields.all(), data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form.is_valid()
    return render(request, "procedures/preview.html", {"version": version, "form": form})
