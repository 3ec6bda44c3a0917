"""Paying a dossier's fees: the citizen's "pay online" button, the gateway's callback, the sandbox
gateway's page (demo and tests) and the page the gateway sends the citizen back to; the desk's
refund record. dossiers/services/payments.py decides; these only carry the request."""

import logging
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dossiers import selectors
from dossiers.models import PaymentOrder
from dossiers.services import payments
from dossiers.views.desk import _staff_dossier, staff_only
from portal.exceptions import ApplicationError
from portal.payments import gateways

logger = logging.getLogger(__name__)


@login_required
@require_POST
def pay(request, code):
    """The owner's "Thanh toán trực tuyến": an order at the gateway, then the gateway's page."""
    dossier = selectors.dossier_get_for_owner(user=request.user, code=code)
    if dossier is None:
        raise Http404
    try:
        _order, url = payments.order_start(dossier=dossier, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("dossiers:detail", code)
    except gateways.UnknownGateway:
        messages.error(request, _("Cổng thanh toán trực tuyến chưa được cấu hình. Hãy chuyển khoản hoặc nộp tại quầy."))
        return redirect("dossiers:detail", code)
    return HttpResponseRedirect(url)


@csrf_exempt
@require_POST
def callback(request, gateway):
    """POST /payments/callback/<gateway>/: the gateway's signed notice. 200 when taken (or already
    taken), 403 for a signature that does not hold, 400 for anything else refused; a refused notice
    changes nothing."""
    try:
        order = payments.callback_receive(gateway_name=gateway, body=request.body, headers=request.headers)
    except gateways.UnknownGateway as exc:
        raise Http404 from exc
    except gateways.ForgedCallback:
        logger.warning("payment callback from %s refused: bad signature", gateway)
        return JsonResponse({"ok": False, "error": "signature"}, status=403)
    except (gateways.BadCallback, payments.CallbackRefused) as exc:
        logger.warning("payment callback from %s refused: %s", gateway, exc)
        return JsonResponse({"ok": False, "error": str(exc) or "refused"}, status=400)
    return JsonResponse({"ok": True, "order": str(order.public_id), "state": order.state})


def _own_order(request, order_id) -> PaymentOrder:
    order = get_object_or_404(PaymentOrder.objects.select_related("assessment__dossier"), public_id=order_id)
    if order.created_by_id != request.user.pk:
        raise Http404
    return order


@login_required
def sandbox_pay(request, order_id):
    """The sandbox gateway's payment page (demo and tests only): pay or decline; the sandbox then
    posts its signed notice exactly as a bank would, and sends the citizen back."""
    if "sandbox" not in gateways.gateway_names():
        raise Http404
    order = _own_order(request, order_id)
    if request.method == "POST" and order.state == PaymentOrder.State.PENDING:
        sandbox = gateways.gateway("sandbox")
        status = "paid" if request.POST.get("choice") == "pay" else "failed"
        body = sandbox.notice_body(
            str(order.public_id), order.amount, f"SBX{secrets.token_hex(6).upper()}", status=status
        )
        try:
            payments.callback_receive(
                gateway_name="sandbox", body=body, headers={"X-Sandbox-Signature": sandbox.sign(body)}
            )
        except payments.CallbackRefused as exc:
            logger.info("sandbox notice refused: %s", exc)
        return redirect("payments:returned", order.public_id)
    dossier = order.assessment.dossier
    return render(request, "dossiers/payments/sandbox.html", {"order": order, "dossier": dossier})


@login_required
def returned(request, order_id):
    """Where the gateway sends the citizen back: how the order went, and the way back to the dossier."""
    order = _own_order(request, order_id)
    return render(request, "dossiers/payments/returned.html", {"order": order, "dossier": order.assessment.dossier})


@staff_only
@require_POST
def refund(request, code, payment_id):
    dossier = _staff_dossier(request, code)
    try:
        payments.refund_record(
            dossier=dossier, payment_id=payment_id, actor=request.user, note=request.POST.get("note", "")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ghi nhận hoàn trả phí."))
    return redirect("dossiers:desk_dossier", code)
