"""The leader dashboard (/desk/indicators/): the indicators of the leader's agencies and their
subtrees for a period, broken down, with the trend, the year's targets, the dossiers behind each
figure and CSV or XLSX exports. Leaders and superusers only."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import selectors
from dossiers.constants import Channel
from dossiers.forms import DashboardForm
from dossiers.indicators import indicators, score_766
from dossiers.models import IndicatorTarget
from portal.cache import reference
from portal.exports import SafeCsvWriter, xlsx_bytes
from portal.selectors import agency_subtree_ids, agency_tree, community_teams_of, desk_names
from procedures.selectors import catalog_completeness, procedure_names, sector_names

BREAKDOWN_FIELDS = {
    "agency": "agency_id",
    "desk": "desk_id",
    "sector": "procedure__sector_id",
    "procedure": "procedure_id",
    "channel": "channel",
}
FIGURE_LABELS = {
    "received": _("Hồ sơ tiếp nhận"),
    "finished": _("Đã giải quyết"),
    "finished_on_time": _("Đúng hạn"),
    "finished_late": _("Trễ hạn"),
    "overdue_open": _("Quá hạn chưa giải quyết"),
}
COLUMNS = [
    ("received", _("Tiếp nhận")),
    ("received_online", _("Trực tuyến")),
    ("online_rate", _("Tỷ lệ trực tuyến")),
    ("finished", _("Đã giải quyết")),
    ("finished_on_time", _("Đúng hạn")),
    ("overdue_open", _("Quá hạn chưa giải quyết")),
    ("on_time_rate", _("Tỷ lệ đúng hạn")),
    ("avg_processing_days", _("Số ngày giải quyết trung bình")),
    ("satisfaction_rate", _("Mức độ hài lòng")),
    ("digitisation_rate", _("Tỷ lệ số hóa")),
    ("e_result_rate", _("Tỷ lệ kết quả điện tử")),
    ("reuse_rate", _("Tỷ lệ tái sử dụng")),
    ("online_payment_rate", _("Tỷ lệ thanh toán trực tuyến")),
]


def leaders_only(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        request.indicator_scope = selectors.indicator_scope(user=request.user)
        if not request.indicator_scope:
            raise PermissionDenied(_("Trang này dành cho lãnh đạo."))
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def _form(request):
    tree = agency_tree()
    choices = [(tree[pk][0], f"{tree[pk][1]} ({tree[pk][0]})") for pk in request.indicator_scope]
    form = DashboardForm(request.GET or None, agencies=choices)
    valid = not form.is_bound or form.is_valid()
    if not (form.is_bound and valid):
        form_defaults = DashboardForm({}, agencies=choices)
        form_defaults.is_valid()  # every field is optional: this month, every agency, by agency
        data = form_defaults.cleaned_data
    else:
        data = form.cleaned_data
    code = data.get("agency") or ""
    agency_ids = agency_subtree_ids(code=code) if code else request.indicator_scope
    return form, valid, data, code, agency_ids


def _labels(by: str, keys) -> dict:
    tree = agency_tree()
    if by == "agency":
        return {k: tree.get(k, ("", "?", None))[1] for k in keys}
    if by == "desk":
        names = desk_names(ids=[k for k in keys if k])
        return {k: names.get(k, _("Không qua Bộ phận Một cửa")) for k in keys}
    if by == "sector":
        return sector_names(ids=list(keys))
    if by == "procedure":
        return {k: f"{name} ({code})" for k, (code, name, _time) in procedure_names(ids=list(keys)).items()}
    return {k: Channel(k).label if k in Channel.values else k for k in keys}


def _rows(by, agency_ids, start, end):
    grouped = selectors.figures_by(field=BREAKDOWN_FIELDS[by], agency_ids=agency_ids, start=start, end=end)
    labels = _labels(by, grouped)
    tree = agency_tree()
    rows = [
        {
            "label": labels.get(key, str(key)),
            "code": tree[key][0] if by == "agency" and key in tree else "",
            "part": "" if by == "agency" else f"{by}:{key if key is not None else 0}",
            "values": indicators(sums, received_online=online, overdue_open=overdue),
        }
        for key, (sums, online, overdue) in grouped.items()
    ]
    return sorted(rows, key=lambda r: (-r["values"]["received"], str(r["label"])))


def _trend(agency_ids, end) -> list[dict]:
    """The twelve months up to the period's end: receipts (online and not) and the on-time rate."""
    months_back = end.year * 12 + end.month - 1 - 11
    first = dt.date(months_back // 12, months_back % 12 + 1, 1)
    months = selectors.figures_by_month(agency_ids=agency_ids, start=first, end=end)
    bars, month = [], first
    while month <= end:
        sums, online, _zero = months.get(month, ({}, 0, 0))
        values = indicators(sums, received_online=online, overdue_open=0)
        bars.append({"month": month, "received": values["received"], "online": online, "values": values})
        month = (month + dt.timedelta(days=32)).replace(day=1)
    top = max((b["received"] for b in bars), default=0) or 1
    for i, bar in enumerate(bars):
        bar["x"] = 40 + i * 50
        bar["height"] = round(160 * bar["received"] / top)
        bar["online_height"] = round(160 * bar["online"] / top)
        bar["y"] = 180 - bar["height"]
        bar["online_y"] = 180 - bar["online_height"]
    return bars


def _targets(code, agency_ids, year, values):
    tree = agency_tree()
    target_agency = agency_ids[0] if code else next((pk for pk in agency_ids if tree[pk][2] not in agency_ids), None)
    targets = IndicatorTarget.objects.filter(agency_id=target_agency, year=year).order_by("indicator")
    return [
        {
            "label": t.get_indicator_display(),
            "target": float(t.percent) / 100,
            "actual": values.get(t.indicator),
            "met": values.get(t.indicator) is not None and values[t.indicator] >= float(t.percent) / 100,
        }
        for t in targets
    ]


def _teams(agency_ids, start, end) -> list[dict]:
    """Each community digital team of these agencies with the filings its members made for citizens."""
    teams = community_teams_of(agency_ids=agency_ids)
    members = sorted({m for *_rest, ids in teams for m in ids})
    counts = selectors.assisted_filings(members=members, agency_ids=agency_ids, start=start, end=end) if members else {}
    return [
        {"name": name, "agency": agency, "members": len(ids), "filings": sum(counts.get(m, 0) for m in ids)}
        for _pk, name, agency, ids in teams
    ]


def _scope_key(agency_ids) -> str:
    """A short key for a set of agencies (the cache key of their figures)."""
    import hashlib

    return hashlib.sha256(",".join(map(str, agency_ids)).encode()).hexdigest()[:16]


def _figures(agency_ids, start, end, by) -> dict:
    """The dashboard's figures: the same for everyone with this scope and period, so each process
    keeps them 30 seconds (the targets and teams are read on each view)."""
    sums, online, overdue = selectors.figures_sum(agency_ids=agency_ids, start=start, end=end)
    catalog = catalog_completeness(agency_ids=agency_ids)
    total = indicators(sums, received_online=online, overdue_open=overdue, catalog=catalog)
    _score, groups = score_766({**total, "catalog_complete_rate": catalog[0] / catalog[1] if catalog[1] else None})
    return {
        "total": total,
        "groups": groups,
        "rows": _rows(by, agency_ids, start, end),
        "trend": _trend(agency_ids, end),
    }


@leaders_only
def dashboard(request):
    form, valid, data, code, agency_ids = _form(request)
    start, end, by = data["start"], data["end"], data["by"]
    figures = reference(
        f"dashboard:{_scope_key(agency_ids)}:{start}:{end}:{by}",
        lambda: _figures(agency_ids, start, end, by),
        seconds=30,
    )
    export = request.GET.get("export")
    if export in ("csv", "xlsx") and valid:
        return _export(export, by, figures["rows"], start, end)
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "dossiers/desk/indicators.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "by": by,
            "by_label": dict(DashboardForm.BREAKDOWNS)[by],
            **figures,
            # Twelve months, nearly all of them closed: kept five minutes.
            "trend": reference(f"trend:{_scope_key(agency_ids)}:{end}", lambda: _trend(agency_ids, end), seconds=300),
            "targets": _targets(code, agency_ids, start.year, figures["total"]),
            "teams": _teams(agency_ids, start, end),
            "figures": FIGURE_LABELS,
            # Each figure's list, reversed once here rather than in every row of the table.
            "drill": {key: reverse("dossiers:desk_indicator_dossiers", args=[key]) for key in FIGURE_LABELS},
            "agency_code": code,
            "query": query.urlencode(),
            "dates_query": f"start={start.isoformat()}&end={end.isoformat()}&period=custom",
            "period_query": f"start={start.isoformat()}&end={end.isoformat()}&period=custom&by={by}",
        },
        status=200 if valid else 400,
    )


def _export(kind, by, rows, start, end):
    header = [str(dict(DashboardForm.BREAKDOWNS)[by]), *(str(label) for _key, label in COLUMNS)]
    values = [[str(r["label"]), *(r["values"][key] for key, _label in COLUMNS)] for r in rows]
    name = f"chi-so-{by}-{start.isoformat()}-{end.isoformat()}"
    if kind == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response.write("\ufeff")
        writer = SafeCsvWriter(response)
        writer.writerow(header)
        for row in values:
            writer.writerow(row)
        return response
    response = HttpResponse(
        xlsx_bytes(_("Chỉ số"), header, values),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@leaders_only
def figure_dossiers(request, figure):
    """The dossiers behind one figure of the dashboard, 25 a page, each linked to its page."""
    if figure not in FIGURE_LABELS:
        raise PermissionDenied(_("Không có chỉ số này."))
    form, valid, data, code, agency_ids = _form(request)
    start, end = data["start"], data["end"]
    part = tuple(request.GET["part"].split(":", 1)) if ":" in request.GET.get("part", "") else None
    try:
        rows = selectors.figure_dossiers(figure=figure, agency_ids=agency_ids, start=start, end=end, part=part)
    except ValueError as exc:
        raise Http404(_("Không có phần số liệu này.")) from exc
    rows = rows.select_related("agency")
    page = Paginator(rows.only("code", "agency__name", "received_at", "due_at", "finished_at", "status"), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dossiers/desk/indicator_dossiers.html",
        {
            "form": form,
            "figure": FIGURE_LABELS[figure],
            "page": page,
            "start": start,
            "end": end,
            "query": query.urlencode(),
            "querystring": query.urlencode(),
            "now": timezone.now(),
        },
        status=200 if valid else 400,
    )
