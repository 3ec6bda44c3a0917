"""What the citizen is told at each step (email + in-app through the outbox, after commit)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from portal.notifications import notify
from portal.templatetags.portal_tags import vnd


def _date(value):
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else "—"


MESSAGES = {
    "accepted": (
        lambda d: _("Hồ sơ %(code)s đã được tiếp nhận") % {"code": d.code},
        lambda d: (
            _("Hồ sơ %(code)s đã được tiếp nhận. Ngày hẹn trả kết quả: %(due)s.")
            % {"code": d.code, "due": _date(d.due_at)}
        ),
    ),
    "supplement": (
        lambda d: _("Hồ sơ %(code)s cần bổ sung") % {"code": d.code},
        lambda d: (
            _("Cơ quan yêu cầu bổ sung hồ sơ %(code)s: %(items)s")
            % {"code": d.code, "items": "; ".join(f"{i['label']} ({i['reason']})" for i in d.supplements.first().items)}
        ),
    ),
    "refused": (
        lambda d: _("Hồ sơ %(code)s không được tiếp nhận") % {"code": d.code},
        lambda d: (
            _("Hồ sơ %(code)s không được tiếp nhận. Lý do: %(reason)s") % {"code": d.code, "reason": d.result_note}
        ),
    ),
    "extended": (
        lambda d: _("Hồ sơ %(code)s được hẹn lại ngày trả kết quả") % {"code": d.code},
        lambda d: (
            _("Cơ quan xin lỗi vì hồ sơ %(code)s chưa giải quyết đúng hẹn. Ngày hẹn mới: %(due)s.")
            % {"code": d.code, "due": _date(d.due_at)}
        ),
    ),
    "result_ready": (
        lambda d: _("Hồ sơ %(code)s đã có kết quả") % {"code": d.code},
        lambda d: (
            _("Hồ sơ %(code)s đã có kết quả (%(outcome)s). Kết quả sẽ được trả theo cách bạn đã chọn: %(delivery)s.")
            % {"code": d.code, "outcome": d.get_outcome_display(), "delivery": d.get_delivery_display()}
        ),
    ),
    "returned": (
        lambda d: _("Hồ sơ %(code)s đã trả kết quả") % {"code": d.code},
        lambda d: (
            _("Kết quả hồ sơ %(code)s đã được trả (%(how)s). Mời bạn đánh giá mức độ hài lòng.")
            % {"code": d.code, "how": d.returned_via}
        ),
    ),
    "due_moved": (
        lambda d: _("Ngày hẹn trả hồ sơ %(code)s đã thay đổi") % {"code": d.code},
        lambda d: (
            _("Lịch làm việc của cơ quan thay đổi nên ngày hẹn trả hồ sơ %(code)s nay là %(due)s.")
            % {"code": d.code, "due": _date(d.due_at)}
        ),
    ),
    "stopped": (
        lambda d: _("Hồ sơ %(code)s đã dừng xử lý") % {"code": d.code},
        lambda d: _("Yêu cầu rút hồ sơ %(code)s đã được xác nhận; hồ sơ dừng xử lý.") % {"code": d.code},
    ),
    "stopped_by_agency": (
        lambda d: _("Hồ sơ %(code)s đã dừng xử lý") % {"code": d.code},
        lambda d: (
            _("%(agency)s dừng xử lý hồ sơ %(code)s. Lý do: %(reason)s. Thông báo bằng văn bản có trên trang hồ sơ.")
            % {"agency": d.agency.name, "code": d.code, "reason": d.result_note}
        ),
    ),
    "payment_requested": (
        lambda d: _("Hồ sơ %(code)s cần nộp phí, lệ phí") % {"code": d.code},
        lambda d: (
            _(
                "Hồ sơ %(code)s cần nộp %(amount)s đồng phí, lệ phí. Bạn có thể thanh toán trực tuyến hoặc chuyển "
                "khoản bằng mã VietQR trên trang hồ sơ, hoặc nộp tại Bộ phận Một cửa. Thời gian chờ nộp phí không "
                "tính vào thời hạn giải quyết."
            )
            % {"code": d.code, "amount": vnd(d.fee.amount)}
        ),
    ),
    "payment_received": (
        lambda d: _("Đã nhận phí, lệ phí của hồ sơ %(code)s") % {"code": d.code},
        lambda d: (
            _("Đã nhận đủ phí, lệ phí của hồ sơ %(code)s. Biên lai điện tử có trên trang hồ sơ. Ngày hẹn trả: %(due)s.")
            % {"code": d.code, "due": _date(d.due_at)}
        ),
    ),
}


def notify_applicant(dossier, event: str, *, occurrence) -> None:
    """`occurrence` tells this notice from an earlier one of the same kind (the move's event id):
    one notification per occurrence and person, however often this runs for it."""
    subject_of, body_of = MESSAGES[event]
    people = {u.pk: u for u in (dossier.applicant, dossier.filer if dossier.channel == "online" else None) if u}
    for user in people.values():
        with override(user.preferred_language or "vi"):
            subject, body = subject_of(dossier), body_of(dossier)
        notify(
            recipient=user,
            event=f"dossier_{event}",
            key=f"dossier:{dossier.pk}:{event}:{occurrence}:{user.pk}",
            subject=subject,
            body=body,
            link=reverse("dossiers:detail", args=[dossier.code]),
        )


STAFF_MESSAGES = {
    "assigned": (
        lambda d: _("Bạn được phân công xử lý hồ sơ %(code)s") % {"code": d.code},
        lambda d: (
            _("Hồ sơ %(code)s (%(procedure)s) được phân công cho bạn. Hạn trả: %(due)s.")
            % {"code": d.code, "procedure": d.version.procedure.name, "due": _date(d.due_at)}
        ),
    ),
    "supplemented": (
        lambda d: _("Hồ sơ %(code)s đã được bổ sung") % {"code": d.code},
        lambda d: _("Công dân đã bổ sung hồ sơ %(code)s; hồ sơ chờ bạn xử lý tiếp.") % {"code": d.code},
    ),
}


def notify_staff(dossier, users, event: str, *, occurrence) -> None:
    subject_of, body_of = STAFF_MESSAGES[event]
    for user in users:
        with override(user.preferred_language or "vi"):
            subject, body = subject_of(dossier), body_of(dossier)
        notify(
            recipient=user,
            event=f"staff_{event}",
            key=f"dossier:{dossier.pk}:{event}:{occurrence}:{user.pk}",
            subject=subject,
            body=body,
            link=reverse("dossiers:desk_dossier", args=[dossier.code]),
        )
