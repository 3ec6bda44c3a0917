from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """The shared status list of provincial systems (DOMAIN.md), plus the citizen's draft."""

    DRAFT = "draft", _("Đang soạn")
    NEW = "new", _("Mới đăng ký")
    RECEIVED = "received", _("Được tiếp nhận")
    NOT_RECEIVED = "not_received", _("Không được tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    AWAITING_PAYMENT = "awaiting_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWAL_REQUESTED = "withdrawal_requested", _("Công dân yêu cầu rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    RESULT_READY = "result_ready", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")


# The status's number in the list shared by provincial systems (DOMAIN.md): 1 new ... 10 returned.
STATUS_NUMBER = {status: number for number, status in enumerate(Status.values[1:], start=1)}

# What the citizen is told each status means.
STATUS_EXPLANATIONS = {
    Status.DRAFT: _("Hồ sơ chưa được nộp. Bạn có thể tiếp tục soạn và nộp bất cứ lúc nào."),
    Status.NEW: _("Hồ sơ đã nộp trực tuyến và đang chờ Bộ phận Một cửa kiểm tra."),
    Status.RECEIVED: _("Hồ sơ đã được tiếp nhận; thời hạn giải quyết bắt đầu được tính."),
    Status.NOT_RECEIVED: _("Hồ sơ không được tiếp nhận. Xem lý do trong phần lịch sử."),
    Status.PROCESSING: _("Cơ quan có thẩm quyền đang giải quyết hồ sơ."),
    Status.SUPPLEMENT_REQUESTED: _(
        "Cơ quan yêu cầu bổ sung giấy tờ hoặc thông tin. Hãy bổ sung để hồ sơ được tiếp tục giải quyết."
    ),
    Status.AWAITING_PAYMENT: _("Hồ sơ đang chờ bạn nộp phí, lệ phí hoặc nghĩa vụ tài chính."),
    Status.WITHDRAWAL_REQUESTED: _("Bạn đã yêu cầu rút hồ sơ; cơ quan đang xác nhận."),
    Status.STOPPED: _("Hồ sơ đã dừng xử lý."),
    Status.RESULT_READY: _("Đã có kết quả. Kết quả sẽ được trả theo cách bạn đã chọn."),
    Status.RETURNED: _("Kết quả đã được trả cho bạn."),
}

OPEN_STATUSES = {
    Status.NEW,
    Status.RECEIVED,
    Status.PROCESSING,
    Status.SUPPLEMENT_REQUESTED,
    Status.AWAITING_PAYMENT,
    Status.WITHDRAWAL_REQUESTED,
}
FINISHED_STATUSES = {Status.NOT_RECEIVED, Status.STOPPED, Status.RESULT_READY, Status.RETURNED}


class Stage(models.TextChoices):
    """Internal steps; each belongs to one public status (STAGE_STATUS). The transition table and
    the queues work on stages; citizens see statuses."""

    DRAFT = "draft", _("Đang soạn")
    CHECKING = "checking", _("Chờ kiểm tra")
    INTAKE_SUPPLEMENT = "intake_supplement", _("Chờ bổ sung (tiếp nhận)")
    NOT_RECEIVED = "not_received", _("Không tiếp nhận")
    RECEIVED = "received", _("Chờ phân công")
    APPRAISING = "appraising", _("Đang thẩm định")
    WAITING_OTHER_AGENCY = "waiting_other_agency", _("Chờ cơ quan phối hợp")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ phê duyệt")
    PROCESSING_SUPPLEMENT = "processing_supplement", _("Chờ bổ sung (thẩm định)")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ nộp phí")
    WITHDRAWAL_REQUESTED = "withdrawal_requested", _("Chờ xác nhận rút")
    STOPPED = "stopped", _("Dừng xử lý")
    RESULT_READY = "result_ready", _("Có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")


STAGE_STATUS = {
    Stage.DRAFT: Status.DRAFT,
    Stage.CHECKING: Status.NEW,
    Stage.INTAKE_SUPPLEMENT: Status.SUPPLEMENT_REQUESTED,
    Stage.NOT_RECEIVED: Status.NOT_RECEIVED,
    Stage.RECEIVED: Status.RECEIVED,
    Stage.APPRAISING: Status.PROCESSING,
    Stage.WAITING_OTHER_AGENCY: Status.PROCESSING,
    Stage.AWAITING_APPROVAL: Status.PROCESSING,
    Stage.PROCESSING_SUPPLEMENT: Status.SUPPLEMENT_REQUESTED,
    Stage.AWAITING_PAYMENT: Status.AWAITING_PAYMENT,
    Stage.WITHDRAWAL_REQUESTED: Status.WITHDRAWAL_REQUESTED,
    Stage.STOPPED: Status.STOPPED,
    Stage.RESULT_READY: Status.RESULT_READY,
    Stage.RETURNED: Status.RETURNED,
}
# The desk's "in progress" tab; a partial index of the dossier table covers exactly these.
IN_PROGRESS_STAGES = [
    Stage.RECEIVED,
    Stage.APPRAISING,
    Stage.WAITING_OTHER_AGENCY,
    Stage.AWAITING_APPROVAL,
    Stage.INTAKE_SUPPLEMENT,
    Stage.PROCESSING_SUPPLEMENT,
    Stage.AWAITING_PAYMENT,
]
# A dossier back from a supplement waits in the first stage with the second as its previous stage
# (the desk's "supplemented" tab; a partial index of the dossier table covers exactly these).
RESUPPLIED_FROM = {Stage.CHECKING: Stage.INTAKE_SUPPLEMENT, Stage.APPRAISING: Stage.PROCESSING_SUPPLEMENT}
# The same rule as a condition (the tab's rows, its partial index, the counters' recount).
RESUPPLIED = Q(stage=Stage.CHECKING, previous_stage=RESUPPLIED_FROM[Stage.CHECKING]) | Q(
    stage=Stage.APPRAISING, previous_stage=RESUPPLIED_FROM[Stage.APPRAISING]
)
# Stages whose clock runs against due_at (the dossier is with the agency).
CLOCK_STAGES = {Stage.RECEIVED, Stage.APPRAISING, Stage.WAITING_OTHER_AGENCY, Stage.AWAITING_APPROVAL}


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Giải quyết")
    REFUSED = "refused", _("Từ chối giải quyết")


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    IN_PERSON = "in_person", _("Trực tiếp")
    POST = "post", _("Bưu chính")


class Delivery(models.TextChoices):
    DESK = "desk", _("Nhận tại Bộ phận Một cửa")
    POST = "post", _("Nhận qua bưu chính")
    ONLINE = "online", _("Nhận bản điện tử trực tuyến")


class FilerRelation(models.TextChoices):
    SELF = "self", _("Tôi là người nộp hồ sơ")
    FAMILY = "family", _("Tôi nộp thay người thân")
    COMMUNITY_HELPER = "community_helper", _("Tổ công nghệ số cộng đồng nộp hộ")


class Action(models.TextChoices):
    CREATE = "create", _("Tạo hồ sơ")
    SUBMIT = "submit", _("Nộp hồ sơ")
    RECEIVE_AT_COUNTER = "receive_at_counter", _("Tiếp nhận trực tiếp")
    ACCEPT = "accept", _("Tiếp nhận hồ sơ")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung")
    SUBMIT_SUPPLEMENT = "submit_supplement", _("Nộp bổ sung")
    ASSIGN = "assign", _("Phân công xử lý")
    APPRAISE = "appraise", _("Ghi kết quả thẩm định")
    FORWARD = "forward", _("Chuyển cơ quan phối hợp")
    RECORD_REPLY = "record_reply", _("Nhận ý kiến phối hợp")
    SUBMIT_FOR_APPROVAL = "submit_for_approval", _("Trình phê duyệt")
    APPROVE = "approve", _("Phê duyệt")
    RETURN_FOR_REWORK = "return_for_rework", _("Trả lại để xử lý lại")
    REFUSE_AFTER_APPRAISAL = "refuse_after_appraisal", _("Từ chối giải quyết")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    REQUEST_WITHDRAWAL = "request_withdrawal", _("Yêu cầu rút hồ sơ")
    CONFIRM_WITHDRAWAL = "confirm_withdrawal", _("Xác nhận rút hồ sơ")
    STOP_PROCESSING = "stop_processing", _("Dừng xử lý hồ sơ")
    DRAFT_EXTENSION = "draft_extension", _("Dự thảo phiếu xin lỗi, hẹn lại")
    ISSUE_EXTENSION = "issue_extension", _("Gia hạn (phiếu xin lỗi)")
    CALENDAR_CHANGE = "calendar_change", _("Ngày hẹn thay đổi theo lịch làm việc")
    REQUEST_PAYMENT = "request_payment", _("Yêu cầu nộp phí, lệ phí")
    RECORD_PAYMENT = "record_payment", _("Thu phí tại Bộ phận Một cửa")
    PAY = "pay", _("Đã nộp phí, lệ phí")
    PAYMENT_WAIT = "payment_wait", _("Ngày hẹn lùi theo thời gian chờ nộp phí")
    REFUND_DUE = "refund_due", _("Phải hoàn trả phí đã nộp")
    REFUND = "refund", _("Đã hoàn trả phí")
    CLAIM_EXEMPTION = "claim_exemption", _("Khai thuộc đối tượng miễn, giảm phí")
    RATE = "rate", _("Đánh giá")


class FeeStatus(models.TextChoices):
    """Where the dossier's financial obligation stands (kept on the dossier: the pages and the
    figures read it without another query). Blank: nothing was asked."""

    NONE = "", _("Không phải nộp")
    DUE = "due", _("Chờ nộp phí")
    PAID = "paid", _("Đã nộp phí")
    CANCELLED = "cancelled", _("Không còn phải nộp")


class PayMethod(models.TextChoices):
    ONLINE = "online", _("Thanh toán trực tuyến")
    TRANSFER = "transfer", _("Chuyển khoản (VietQR)")
    CASH = "cash", _("Tiền mặt tại Bộ phận Một cửa")


# Paid without coming to the desk: what Decision 766's online payment rate counts.
ONLINE_METHODS = {PayMethod.ONLINE, PayMethod.TRANSFER}


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Hài lòng")
    NEUTRAL = "neutral", _("Bình thường")
    DISSATISFIED = "dissatisfied", _("Không hài lòng")


# The Bootstrap colour of each status's badge.
STATUS_COLOURS = {
    Status.DRAFT: "secondary",
    Status.NEW: "primary",
    Status.RECEIVED: "info",
    Status.PROCESSING: "info",
    Status.SUPPLEMENT_REQUESTED: "warning",
    Status.AWAITING_PAYMENT: "warning",
    Status.WITHDRAWAL_REQUESTED: "warning",
    Status.NOT_RECEIVED: "danger",
    Status.STOPPED: "dark",
    Status.RESULT_READY: "success",
    Status.RETURNED: "success",
}


def status_colour(status: str) -> str:
    """The badge colour of a status (secondary for one outside the table)."""
    return STATUS_COLOURS.get(status, "secondary")
