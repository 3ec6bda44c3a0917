"""Public statistics: the indicators per agency and procedure for a year or a month, and the JSON
feed of one agency's (and its subtree's) indicators. No login; nothing personal."""

import datetime as dt

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import selectors
from dossiers.figures import months_span
from dossiers.forms import StatisticsForm
from dossiers.indicators import indicators, satisfaction_by_criterion, score_766
from portal.cache import reference
from portal.selectors import agency_subtree_ids, agency_tree
from procedures.selectors import (
    catalog_completeness,
    cuts_by_year,
    procedure_names,
    processing_time_cuts,
    sector_names,
)


def _parse_day(value: str, name: str, errors: dict) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[name] = _("Ngày không hợp lệ: dùng dạng YYYY-MM-DD, ví dụ 2026-01-31.")
        return None


def indicators_json(request):
    """`?agency=<code>&from=YYYY-MM-DD&to=YYYY-MM-DD`: the agency and its subtree (the whole province
    without an agency), all time without dates."""
    errors: dict[str, str] = {}
    start = _parse_day(request.GET.get("from", ""), "from", errors)
    end = _parse_day(request.GET.get("to", ""), "to", errors)
    if start and end and start > end:
        errors["to"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    code = request.GET.get("agency", "").strip()
    agency_ids = agency_subtree_ids(code=code) if code else None
    if code and agency_ids is None:
        return JsonResponse({"errors": {"agency": _("Không có cơ quan với mã này.")}}, status=404)
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    values = reference(f"indicators:{code}:{start}:{end}", lambda: _indicators(agency_ids, start, end), seconds=30)
    return JsonResponse(values)


def _indicators(agency_ids, start, end) -> dict:
    sums, online, overdue = selectors.figures_sum(agency_ids=agency_ids, start=start, end=end)
    return indicators(
        sums, received_online=online, overdue_open=overdue, catalog=catalog_completeness(agency_ids=agency_ids)
    )


def _period(data: dict) -> tuple[dt.date, dt.date, int, int | None]:
    """A year, or a month of it, from the form's cleaned values (this year when none)."""
    year = data.get("year") or timezone.localdate().year
    month = data.get("month")
    start, end = months_span(year, month, 1) if month else months_span(year, 1, 12)
    return start, end, year, month


def statistics(request):
    form = StatisticsForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    data = form.cleaned_data if form.is_bound and valid else {}
    start, end, year, month = _period(data)
    code = data.get("agency", "")
    agency_ids = agency_subtree_ids(code=code) if code else None
    page = reference(f"statistics:{code}:{start}:{end}", lambda: _page(agency_ids, start, end), seconds=30)
    tree = agency_tree()
    agency = tree.get(agency_ids[0]) if agency_ids else None
    return render(
        request,
        "dossiers/statistics.html",
        {
            "form": form,
            "year": year,
            "month": month,
            "agency": agency,
            "agency_code": code,
            **page,
        },
        status=200 if valid else 400,
    )


def _page(agency_ids, start, end) -> dict:
    tree = agency_tree()
    catalog = catalog_completeness(agency_ids=agency_ids)
    sums, online, overdue = selectors.figures_sum(agency_ids=agency_ids, start=start, end=end)
    total = indicators(sums, received_online=online, overdue_open=overdue, catalog=catalog)
    by_agency = selectors.figures_by(field="agency_id", agency_ids=agency_ids, start=start, end=end)
    by_procedure = selectors.figures_by(field="procedure_id", agency_ids=agency_ids, start=start, end=end)
    names = procedure_names(ids=list(by_procedure))
    agencies = sorted(
        (
            (tree[pk][0], tree[pk][1], indicators(sums, received_online=online, overdue_open=overdue))
            for pk, (sums, online, overdue) in by_agency.items()
            if pk in tree
        ),
        key=lambda row: row[0],
    )
    by_sector = selectors.figures_by(field="procedure__sector_id", agency_ids=agency_ids, start=start, end=end)
    sector_labels = sector_names(ids=list(by_sector))
    sectors = sorted(
        (
            (sector_labels.get(pk, ""), indicators(sums, received_online=online, overdue_open=overdue))
            for pk, (sums, online, overdue) in by_sector.items()
        ),
        key=lambda row: (-row[1]["received"], row[0]),
    )
    procedures = sorted(
        (
            (*names.get(pk, ("", "", None)), indicators(sums, received_online=online, overdue_open=overdue))
            for pk, (sums, online, overdue) in by_procedure.items()
        ),
        key=lambda row: (-row[3]["received"], row[0]),
    )
    _score, groups = score_766({**total, "catalog_complete_rate": catalog[0] / catalog[1] if catalog[1] else None})
    return {
        "total": total,
        "agencies": agencies,
        "procedures": procedures,
        "sectors": sectors,
        "groups": groups,
        "criteria": satisfaction_by_criterion(sums),
        "cuts": cuts_by_year(processing_time_cuts(agency_ids=agency_ids)),
        "rated": sums.get("rated", 0),
    }


def province_year(start, end) -> dict:
    """The whole province's indicators for the home page, kept 30 seconds in each process."""
    return reference(f"indicators::{start}:{end}", lambda: _indicators(None, start, end), seconds=30)
