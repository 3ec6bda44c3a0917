"""The staff pages: queues, the dossier page with one form per allowed action, the printable forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers import queues, selectors
from dossiers.constants import Action, Channel, Stage, Status
from dossiers.desk_forms import action_form, parse_supplement_items
from dossiers.fees import fee_panel
from dossiers.filters import QueueFilter
from dossiers.services import desk
from dossiers.services.access_log import dossier_read_record
from dossiers.services.payments import REFUNDERS, fees_of
from dossiers.workflow import CITIZEN_ACTIONS, ON_THE_SPOT, OWNER
from portal.exceptions import ApplicationError
from portal.links import url_prefix

PAGE_SIZE = 25


def staff_only(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        request.memberships = queues.staff_memberships(request.user)
        if not request.memberships:
            raise PermissionDenied(_("Trang này dành cho cán bộ."))
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def _filters(request) -> queues.Filters:
    """The queue filters from the query string; a value outside its choices is dropped."""
    return QueueFilter.page_filters(request.GET)


@staff_only
def queue(request):
    tabs = queues.tabs_for(request.memberships)
    counts = queues.tab_counts(user=request.user, memberships=request.memberships, tabs=tabs)
    # Without a choice, the first tab with work in it: nobody lands on an empty "back from a
    # supplement" tab while dossiers wait in the next one.
    tab = next((t for t in tabs if t.key == request.GET.get("tab")), None) or next(
        (t for t in tabs if counts.get(t.key, 0)), tabs[0]
    )
    filters = _filters(request)
    now = timezone.now()
    items, next_cursor = queues.queue_page(
        user=request.user,
        memberships=request.memberships,
        tab=tab,
        filters=filters,
        after=request.GET.get("after", ""),
        size=PAGE_SIZE,
        now=now,
    )
    soon = queues.due_soon_limit(request.memberships, now)
    query = request.GET.copy()
    query.pop("after", None)
    template = (
        "dossiers/desk/_queue_rows.html" if request.htmx and request.GET.get("partial") else "dossiers/desk/queue.html"
    )
    return render(
        request,
        template,
        {
            "tab": tab,
            "filters": filters,
            "tab_items": [(t, counts.get(t.key, 0)) for t in tabs],
            "rows": [(d, queues.urgency(d, now=now, soon=soon), _local(d.priority_at)) for d in items],
            # The rows' links: the dossier page's URL up to its code, reversed once rather than per row.
            "dossier_url": url_prefix("dossiers:desk_dossier", "CODE"),
            "next_cursor": next_cursor,
            "querystring": query.urlencode(),
            "first_page": not request.GET.get("after"),
            "sectors": queues.sectors(),
            "procedures": queues.procedures_of(request.memberships),
            "statuses": [s for s in Status.choices if s[0] != "draft"],
            "channels": Channel.choices,
        },
    )


def _local(at) -> str:
    return timezone.localtime(at).strftime("%d/%m/%Y %H:%M") if at else ""


def _staff_dossier(request, code):
    dossier = selectors.dossier_get_for_staff(user=request.user, code=code)
    if dossier is None:
        raise Http404
    return dossier


def _action_forms(request, dossier, actions, bound=None):
    """One form per allowed staff action; `bound` replaces the one that failed validation."""
    forms = {}
    initial = {"expected_stage": dossier.stage}
    for action in actions:
        if action in CITIZEN_ACTIONS or action == Action.REQUEST_SUPPLEMENT:
            continue
        extra = {"how": dossier.get_delivery_display()} if action == Action.RETURN_RESULT else {}
        if action == Action.RECORD_PAYMENT:
            extra = {"amount": dossier.fee.amount}
        if action == Action.REQUEST_PAYMENT:  # every fee applies unless the officer says otherwise
            extra = {"fees": [pk for pk, _label in fees_of(dossier)]}
        if action == Action.ISSUE_EXTENSION and (draft := selectors.extension_draft(dossier)) is not None:
            extra = {"new_date": draft.data.get("new_date"), "reason": draft.data.get("reason")}
        forms[action] = action_form(action, dossier, initial={**initial, **extra}, prefix=action)
    if bound is not None:
        forms[bound[0]] = bound[1]
    return [(action, Action(action).label, form) for action, form in forms.items()]


@staff_only
def dossier_page(request, code, bound=None, status=200):
    dossier = _staff_dossier(request, code)
    dossier_read_record(dossier=dossier, actor=request.user, request=request)
    roles = selectors.roles_for(dossier=dossier, user=request.user)
    actions = selectors.staff_actions(dossier=dossier, user=request.user)
    earlier_supplement = selectors.supplement_already_requested(dossier)
    fields = {f.key: f for f in dossier.version.fields.all()}
    now = timezone.now()
    return render(
        request,
        "dossiers/desk/dossier.html",
        {
            "dossier": dossier,
            "actions": actions,
            "forms": _action_forms(request, dossier, actions, bound),
            "answers": [(fields[k], v) for k, v in dossier.answers.items() if k in fields],
            "files": [a for a in dossier.attachments.all() if a.is_current],
            "old_files": [a for a in dossier.attachments.all() if not a.is_current],
            "pending_tasks": [t for t in dossier.agency_tasks.all() if not t.replied_at]
            if dossier.stage == Stage.WAITING_OTHER_AGENCY
            else [],
            "remaining": dossier.due_at - now
            if dossier.due_at and dossier.due_at > now and dossier.stage in queues.OPEN_STAGES
            else None,
            "overdue": bool(dossier.due_at and dossier.due_at < now and dossier.stage in queues.OPEN_STAGES),
            "supplement_choices": _supplement_choices(dossier),
            "bound_supplement": bound and bound[0],
            "earlier_supplement": earlier_supplement,
            "supplement_history": selectors.supplement_history(dossier),
            "extension": getattr(dossier, "extension", None),
            "on_the_spot": ON_THE_SPOT in roles and dossier.stage == Stage.RECEIVED,
            "own_dossier": OWNER in roles,
            "timeline": selectors.timeline(dossier),
            "fees": fee_panel(dossier),
            "may_refund": bool(roles & REFUNDERS),
        },
        status=status,
    )


def _supplement_choices(dossier):
    return [(f"component:{c.id}", c.name) for c in dossier.version.components.all()] + [
        (f"field:{f.key}", f.label_vi) for f in dossier.version.fields.all()
    ]


@staff_only
@require_POST
def act(request, code, action):
    dossier = _staff_dossier(request, code)
    if action not in Action.values or action in CITIZEN_ACTIONS:
        raise Http404
    try:
        if action == Action.REQUEST_SUPPLEMENT:
            desk.dossier_request_supplement(
                dossier=dossier,
                actor=request.user,
                note=request.POST.get("note", ""),
                items=parse_supplement_items(request.POST, dossier),
                expected_stage=request.POST.get("expected_stage"),
            )
        else:
            form = action_form(action, dossier, request.POST, request.FILES, prefix=action)
            if not form.is_valid():
                messages.error(request, _("Vui lòng sửa các lỗi trong biểu mẫu “%(a)s”.") % {"a": Action(action).label})
                return dossier_page(request, code, bound=(action, form), status=400)
            desk.dossier_act(action=action, dossier=dossier, actor=request.user, data=form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("dossiers:desk_dossier", code)
    messages.success(request, _("Đã thực hiện: %(a)s.") % {"a": Action(action).label})
    return redirect("dossiers:desk_dossier", code)
