"""The filing task list (GOV.UK's pattern for long forms): which steps a draft has, which are done.
Everything is computed from the draft itself, so a resumed draft shows exactly where it stopped."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dossiers.services.filing import online_components, validate_snapshot
from procedures.forms import build_answer_form

DONE, STARTED, NOT_STARTED = "done", "started", "todo"


@dataclass
class Task:
    key: str
    title: str
    url: str
    state: str


def form_sections(dossier) -> list[tuple[str, list]]:
    """[(title, [FormField])] in field order; fields without a section share one untitled task."""
    sections: list[tuple[str, list]] = []
    for field in dossier.version.fields.all():
        title = field.section or str(_("Thông tin tờ khai"))
        if not sections or sections[-1][0] != title:
            sections.append((title, []))
        sections[-1][1].append(field)
    return sections


def section_form(dossier, fields, data=None):
    if data is None:
        data = {f"f_{f.key}": dossier.answers[f.key] for f in fields if f.key in dossier.answers}
    return build_answer_form(fields, data=data)


def _applicant_state(snapshot) -> str:
    if not validate_snapshot(snapshot):
        return DONE
    return STARTED if any(str(v).strip() for v in (snapshot or {}).values()) else NOT_STARTED


def tasks(dossier) -> list[Task]:
    pid = dossier.public_id
    items = [
        Task(
            "applicant",
            str(_("Thông tin người yêu cầu")),
            reverse("dossiers:draft_applicant", args=[pid]),
            _applicant_state(dossier.applicant_snapshot),
        )
    ]
    for index, (title, fields) in enumerate(form_sections(dossier)):
        saved = [f.key in dossier.answers for f in fields]
        complete = all(saved) and section_form(dossier, fields).is_valid()
        state = DONE if complete else (STARTED if any(saved) else NOT_STARTED)
        items.append(
            Task(
                f"form-{index}",
                str(_("Tờ khai: %(title)s") % {"title": title}),
                reverse("dossiers:draft_form", args=[pid, index]),
                state,
            )
        )
    have = {a.component_id for a in dossier.attachments.all() if a.is_current}
    required = [c.id for c in online_components(dossier) if c.required]
    docs_state = DONE if all(c in have for c in required) else (STARTED if have else NOT_STARTED)
    items.append(
        Task("documents", str(_("Giấy tờ đính kèm")), reverse("dossiers:draft_documents", args=[pid]), docs_state)
    )
    items.append(
        Task(
            "delivery",
            str(_("Cách nhận kết quả")),
            reverse("dossiers:draft_delivery", args=[pid]),
            DONE if dossier.delivery else NOT_STARTED,
        )
    )
    return items


def resume_url(dossier) -> str:
    """The first step that is not done, or the check page when all are."""
    for task in tasks(dossier):
        if task.state != DONE:
            return task.url
    return reverse("dossiers:draft_check", args=[dossier.public_id])
