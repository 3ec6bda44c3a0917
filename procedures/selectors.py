"""Reads of the catalog. Public pages see published versions only."""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When

from portal.cache import reference
from procedures.constants import VersionStatus
from procedures.fees import FeeBill, fee_line
from procedures.fees import FeeLine as FeeLine  # re-exported: other apps read the catalog through selectors
from procedures.fees import FeeRow as FeeRow
from procedures.fees import fee_rows as fee_rows
from procedures.models import Procedure, ProcedureVersion, Sector
from procedures.text import normalize_search


def procedure_list_published(
    *, q: str = "", sector: str = "", level: str = "", agency: str = "", online_level: str = ""
):
    """Published versions matching the search words (diacritics and case ignored) and filters.
    Name matches rank first, then code."""
    versions = ProcedureVersion.objects.published().select_related("procedure", "procedure__sector")
    words = normalize_search(q).split()
    if words:
        condition = Q()
        for word in words:
            condition &= Q(procedure__search_text__contains=word)
        versions = versions.filter(condition)
        phrase = " ".join(words)
        versions = versions.annotate(
            rank=Case(
                When(procedure__search_name__contains=phrase, then=Value(0)),
                When(procedure__search_name__contains=words[0], then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("rank", "procedure__code")
    else:
        versions = versions.order_by("procedure__sector__name", "procedure__code")
    if sector:
        versions = versions.filter(procedure__sector__code=sector)
    if level:
        versions = versions.filter(procedure__level=level)
    if agency:
        versions = versions.filter(procedure__agencies__code=agency)
    if online_level:
        versions = versions.filter(online_level=online_level)
    return versions


def sector_list_with_published() -> list:
    """The sectors with a published procedure, for the catalog's filter (kept briefly: portal.cache)."""
    return reference(
        "catalog-sectors",
        lambda: list(
            Sector.objects.filter(procedures__versions__status=VersionStatus.PUBLISHED).distinct().order_by("name")
        ),
    )


def agency_list_offering_procedures() -> list:
    """The agencies offering a published procedure, for the catalog's filter (kept briefly: portal.cache)."""
    from portal.models import Agency

    return reference(
        "catalog-agencies",
        lambda: list(
            Agency.objects.filter(procedures__versions__status=VersionStatus.PUBLISHED)
            .select_related("parent")
            .distinct()
            .order_by("code")
        ),
    )


def _version_with_parts(queryset):
    return queryset.select_related("procedure", "procedure__sector").prefetch_related(
        "components",
        "fields",
        "processing_steps",
        "fees",
        "fees__exemptions",
        "templates",
        Prefetch("procedure__agencies", queryset=_agencies_queryset()),
    )


def _agencies_queryset():
    from portal.models import Agency

    return Agency.objects.select_related("parent").order_by("code")


def procedure_get_published(*, code: str) -> ProcedureVersion | None:
    """The published version of a procedure with everything the detail page shows, or None."""
    return _version_with_parts(ProcedureVersion.objects.published().filter(procedure__code=code)).first()


def procedure_detail_get(*, code: str) -> ProcedureVersion | None:
    """The public detail page's version: which one is published is read each time, its content and
    the agencies offering it come from version_with_parts' kept copy (one query instead of seven)."""
    pk = ProcedureVersion.objects.published().filter(procedure__code=code).values_list("pk", flat=True).first()
    return version_with_parts(pk=pk) if pk else None


def procedure_version_get(*, pk: int) -> ProcedureVersion | None:
    return _version_with_parts(ProcedureVersion.objects.filter(pk=pk)).first()


def version_with_parts(*, pk: int) -> ProcedureVersion:
    """The version a dossier is filed under, with its procedure, sector and parts (components, fields,
    steps, fees and their exemptions, templates), kept in process memory for PORTAL_REFERENCE_SECONDS.
    A published version's content never changes (save() refuses it), so only a procedure's renaming can
    show late; a draft version is read afresh each time. The instance is shared by the requests of a
    process: read it, never change it."""
    return reference(
        f"version:{pk}",
        lambda: _version_with_parts(ProcedureVersion.objects.filter(pk=pk)).get(),
        keep=lambda version: not version.is_draft,
    )


def fees_due(version: ProcedureVersion, answers: dict, exemption_ids=()) -> FeeBill:
    """What an applicant owes under `version` for her answers, with the exemptions she claims (ids of
    FeeExemption rows; those of another fee are ignored, of several on one fee the largest percent
    applies). A fee with a quantity_field charges its amount per unit answered in that field (see
    procedures.fees.units_answered: a missing or bad answer counts 1); a line's amount is rounded down to
    the đồng. Free fees are listed with amount 0. Pure: no query when `version` comes from
    version_with_parts()."""
    claimed = {str(pk) for pk in exemption_ids}
    lines = [fee_line(fee, answers, claimed) for fee in version.fees.all()]
    return FeeBill(lines=lines, total=sum(line.amount for line in lines))


def version_charges(version: ProcedureVersion) -> bool:
    """Whether the version has a fee to pay at all (any amount above 0). A version that charges nothing
    never asks for payment, whatever its payment_stage."""
    return any(fee.amount > 0 for fee in version.fees.all())


def procedure_get(*, code: str) -> Procedure | None:
    return Procedure.objects.select_related("sector").filter(code=code).first()


def form_template_get_published(*, pk: int):
    from procedures.models import FormTemplate

    return FormTemplate.objects.filter(pk=pk, version__status=VersionStatus.PUBLISHED).first()


def versions_offered_by(*, agencies):
    """Published versions of the procedures these agencies handle, by name."""
    return (
        ProcedureVersion.objects.published()
        .filter(procedure__agencies__in=agencies)
        .distinct()
        .select_related("procedure")
        .order_by("procedure__name")
    )


def catalog_completeness(*, agency_ids) -> tuple[int, int]:
    """(complete, total) published procedures handled by these agencies (all when None): complete
    when the published version states its result, legal basis and processing time and lists at
    least one component. The transparency group of Decision 766's score."""
    from django.db.models import Count

    versions = ProcedureVersion.objects.published()
    if agency_ids is not None:
        versions = versions.filter(procedure__agencies__in=agency_ids)
    rows = (
        versions.distinct()
        .annotate(components_listed=Count("components", distinct=True))
        .values_list("result", "legal_basis", "processing_time_value", "components_listed")
    )
    total = complete = 0
    for result, legal_basis, time_value, components in rows:
        total += 1
        complete += bool(result.strip() and legal_basis.strip() and time_value is not None and components)
    return complete, total


def procedure_names(*, ids) -> dict[int, tuple[str, str, str]]:
    """{procedure id: (code, name, legal processing time as its published version states it)}."""
    versions = (
        ProcedureVersion.objects.published()
        .filter(procedure_id__in=ids)
        .select_related("procedure")
        .only("procedure__code", "procedure__name", "processing_time_value", "processing_time_unit")
    )
    names = {v.procedure_id: (v.procedure.code, v.procedure.name, v.processing_time_text) for v in versions}
    for pk, code, name in Procedure.objects.filter(pk__in=set(ids) - set(names)).values_list("pk", "code", "name"):
        names[pk] = (code, name, "")
    return names


def sector_names(*, ids) -> dict[int, str]:
    return dict(Sector.objects.filter(pk__in=ids).values_list("pk", "name"))


# A legal time in days, to compare versions: working hours count 8 to the day, a month 30 days,
# a same-day procedure 0.
DAYS_PER_UNIT = {"working_days": 1, "calendar_days": 1, "working_hours": 1 / 8, "months": 30, "same_day": 0}


@dataclass(frozen=True)
class TimeCut:
    year: int
    code: str
    name: str
    before: float  # days
    after: float


def processing_time_cuts(*, agency_ids=None) -> list[TimeCut]:
    """Each time a procedure's new version shortened its legal processing time, in the year the new
    version took effect: the catalog's own history of versions, oldest first. A province reports
    these per year ("2021: 6 procedures from 34 to 22 days")."""
    versions = ProcedureVersion.objects.filter(published_at__isnull=False).select_related("procedure")
    if agency_ids is not None:
        versions = versions.filter(procedure__agencies__in=agency_ids).distinct()
    cuts, previous = [], {}
    for v in versions.order_by("procedure_id", "published_at", "number"):
        days = float(v.processing_time_value or 0) * DAYS_PER_UNIT.get(v.processing_time_unit, 1)
        before = previous.get(v.procedure_id)
        if before is not None and days < before:
            cuts.append(TimeCut(v.published_at.year, v.procedure.code, v.procedure.name, _days(before), _days(days)))
        previous[v.procedure_id] = days
    return sorted(cuts, key=lambda c: (c.year, c.code))


def _days(value: float) -> float | int:
    value = round(value, 1)
    return int(value) if value == int(value) else value


def cuts_by_year(cuts: list[TimeCut]) -> list[dict]:
    """Per year, newest first: how many procedures were cut, and their days in all before and after."""
    years: dict[int, list[TimeCut]] = {}
    for cut in cuts:
        years.setdefault(cut.year, []).append(cut)
    return [
        {
            "year": year,
            "procedures": len(items),
            "before": _days(sum(c.before for c in items)),
            "after": _days(sum(c.after for c in items)),
            "cuts": items,
        }
        for year, items in sorted(years.items(), reverse=True)
    ]
