"""The printable forms of Circular 01/2018 (renumbered in the newer framework): 01 receipt and
appointment, 02 supplement request, 03 refusal, 04 apology with a new date, 05 process-control
slip (A5), and 06 the register (A4 landscape). Vietnamese renders with the bundled font."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, Paragraph, Spacer, Table, TableStyle

from dossiers import deadlines
from portal.calendar import calendar_for, desk_hours_text
from portal.pdf import FONT, render, styles

A5_WIDTH, A5_HEIGHT = A5


def _vi(function, *args):
    """The forms are Vietnamese whatever the page's language."""
    with override("vi"):
        return function(*args)


def _esc(text) -> str:
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _when(value, fmt="%H:%M ngày %d/%m/%Y") -> str:
    return timezone.localtime(value).strftime(fmt) if value else "—"


def tracking_url(dossier) -> str:
    return (
        settings.PORTAL_BASE_URL.rstrip("/")
        + reverse("dossiers:track")
        + "?"
        + urlencode({"code": dossier.code, "key": dossier.lookup_key})
    )


def qr(text: str, size_mm: float = 26) -> Drawing:
    widget = QrCodeWidget(text)
    x0, y0, x1, y1 = widget.getBounds()
    size = size_mm * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _heading(dossier, width):
    s = styles()
    left = [
        Paragraph(_esc(dossier.agency.parent.name if dossier.agency.parent else "").upper(), s["small"]),
        Paragraph(f"<b>{_esc(dossier.agency.name).upper()}</b>", s["small"]),
    ]
    motto = ParagraphStyle("motto", parent=s["small"], fontSize=7.5, leading=10, alignment=1)
    right = [
        Paragraph("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", motto),
        Paragraph("<b>Độc lập - Tự do - Hạnh phúc</b>", motto),
    ]
    table = Table([[left, right]], colWidths=[width * 0.4, width * 0.6])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    return table


def _title(text, subtitle=""):
    s = styles()
    items = [Spacer(1, 3 * mm), Paragraph(_esc(text), s["title"])]
    if subtitle:
        items.append(Paragraph(subtitle, s["center"]))
    return items + [Spacer(1, 3 * mm)]


def _signatures(left_title, right_title, right_name=""):
    s = styles()
    table = Table(
        [
            [Paragraph(f"<b>{left_title}</b>", s["center"]), Paragraph(f"<b>{right_title}</b>", s["center"])],
            [Paragraph("(Ký, ghi rõ họ tên)", s["small"]), Paragraph("(Ký, ghi rõ họ tên)", s["small"])],
            [Spacer(1, 9 * mm), Spacer(1, 9 * mm)],
            ["", Paragraph(_esc(right_name), s["center"])],
        ]
    )
    table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    return table


def _line(label, value):
    return Paragraph(f"{label}: <b>{_esc(value)}</b>", styles()["base"])


def _pair(label, value, other_label, other_value):
    """Two short lines side by side, to keep an A5 form on one page."""
    table = Table([[_line(label, value or "—"), _line(other_label, other_value or "—")]], colWidths=["50%", "50%"])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    table.hAlign = "LEFT"
    return table


def register_number(dossier) -> str:
    """The dossier's line in the desk's register: the day's sequence number of its code and the day."""
    sequence = dossier.code.rsplit("-", 1)[-1]
    return f"số {sequence} ngày {_when(dossier.received_at, '%d/%m/%Y')}"


def form_01(dossier, officer_name: str) -> bytes:
    """Receipt and appointment, with a QR code to the public tracking page."""
    s = styles()
    width = 118 * mm
    components = {a.component_id for a in dossier.attachments.all() if a.is_current and a.component_id}
    rows = [
        [
            Paragraph("<b>TT</b>", s["small"]),
            Paragraph("<b>Tên giấy tờ</b>", s["small"]),
            Paragraph("<b>Số bản</b>", s["small"]),
        ]
    ]
    for n, component in enumerate(c for c in dossier.version.components.all() if c.id in components):
        copies = component.originals + component.certified_copies + component.photocopies or 1
        rows.append([str(n + 1), Paragraph(_esc(component.name), s["small"]), str(copies)])
    documents = Table(rows, colWidths=[10 * mm, 90 * mm, 16 * mm])
    documents.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    code_block = Table(
        [
            [
                [
                    _line("Mã hồ sơ", dossier.code),
                    _line("Mã tra cứu", dossier.lookup_key),
                    Paragraph("Quét mã QR hoặc vào trang Tra cứu hồ sơ để theo dõi.", s["small"]),
                ],
                qr(tracking_url(dossier)),
            ]
        ],
        colWidths=[88 * mm, 30 * mm],
    )
    code_block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story = [
        _heading(dossier, width),
        *_title("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "(Mẫu số 01)"),
        code_block,
        Spacer(1, 2 * mm),
        Paragraph(
            f"{_esc(dossier.desk.name if dossier.desk else dossier.agency.name)} đã tiếp nhận hồ sơ của: "
            f"<b>{_esc(dossier.applicant_snapshot.get('full_name'))}</b>",
            s["base"],
        ),
        _line("Số CCCD", dossier.applicant_snapshot.get("national_id")),
        _line("Địa chỉ", dossier.applicant_snapshot.get("address")),
        _pair(
            "Số điện thoại", dossier.applicant_snapshot.get("phone"), "Email", dossier.applicant_snapshot.get("email")
        ),
        _line("Nội dung yêu cầu giải quyết", dossier.version.procedure.name),
        _pair("Số lượng hồ sơ", "01 (bộ)", "Vào Sổ theo dõi hồ sơ", register_number(dossier)),
        Paragraph("Thành phần hồ sơ:", s["base"]),
        documents,
        Spacer(1, 2 * mm),
        _line("Thời gian giải quyết theo quy định", dossier.version.processing_time_text),
        _line("Thời gian nhận hồ sơ", _when(dossier.received_at)),
        _line("Thời gian trả kết quả", _when(dossier.due_at)),
        _line("Nhận kết quả tại", dossier.get_delivery_display() or "Bộ phận Một cửa"),
        _line("Giờ làm việc", _vi(desk_hours_text, dossier.desk, dossier.agency)),
        Paragraph(
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả được lập thành 02 bản: 01 bản giao cho người nộp hồ sơ, "
            "01 bản lưu tại Bộ phận Một cửa.",
            s["small"],
        ),
        Spacer(1, 2 * mm),
        _signatures("NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", officer_name),
    ]
    # One A5 page whatever the address or the number of documents: a long one shrinks the page's
    # content a little rather than sending the officer's signature to a second page.
    one_page = KeepInFrame(A5_WIDTH - 20 * mm, A5_HEIGHT - 22 * mm, story, mode="shrink")
    return render([one_page], page="A5", title=f"Mẫu 01 - {dossier.code}", margin_mm=10)


def _copies(component) -> str:
    kinds = [
        (component.originals, "bản chính"),
        (component.certified_copies, "bản sao chứng thực"),
        (component.photocopies, "bản chụp"),
    ]
    return ", ".join(f"{n:02d} {kind}" for n, kind in kinds if n) or "01 bản"


def form_02(dossier, request, officer_name: str, number: int = 1) -> bytes:
    s = styles()
    width = 118 * mm
    components = {c.id: c for c in dossier.version.components.all()}
    items = []
    for n, i in enumerate(request.items, start=1):
        component = components.get(int(i["ref"])) if i["kind"] == "component" else None
        copies = f" ({_copies(component)})" if component else ""
        items.append(Paragraph(f"{n}. <b>{_esc(i['label'])}</b>{copies}: {_esc(i['reason'])}", s["base"]))
    story = [
        _heading(dossier, width),
        *_title("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "(Mẫu số 02)"),
        _line("Số", f"{number:02d}/{dossier.code}"),
        _line("Mã hồ sơ", dossier.code),
        _line("Người yêu cầu", dossier.applicant_snapshot.get("full_name")),
        _line("Thủ tục", dossier.version.procedure.name),
        Spacer(1, 2 * mm),
        Paragraph("Hồ sơ cần bổ sung, hoàn thiện các nội dung sau (yêu cầu một lần đầy đủ):", s["base"]),
        *items,
        Paragraph(_esc(request.note), s["base"]),
        Spacer(1, 2 * mm),
        Paragraph(
            f"Ngày yêu cầu: {_when(request.created_at)}. Trong quá trình hoàn thiện hồ sơ, nếu có vướng "
            "mắc, ông/bà liên hệ Bộ phận Một cửa để được hướng dẫn.",
            s["small"],
        ),
        Spacer(1, 4 * mm),
        _signatures("NGƯỜI NỘP HỒ SƠ", "NGƯỜI HƯỚNG DẪN", officer_name),
    ]
    return render(story, page="A5", title=f"Mẫu 02 - {dossier.code}", margin_mm=12)


def form_03(dossier, officer_name: str) -> bytes:
    s = styles()
    story = [
        _heading(dossier, 118 * mm),
        *_title("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "(Mẫu số 03)"),
        _line("Mã hồ sơ", dossier.code),
        _line("Người yêu cầu", dossier.applicant_snapshot.get("full_name")),
        _line("Thủ tục", dossier.version.procedure.name),
        Spacer(1, 2 * mm),
        Paragraph("Hồ sơ không đủ điều kiện tiếp nhận vì lý do sau:", s["base"]),
        Paragraph(f"<b>{_esc(dossier.result_note)}</b>", s["base"]),
        Spacer(1, 2 * mm),
        Paragraph("Xin thông báo để ông/bà được biết và thực hiện.", s["base"]),
        Spacer(1, 4 * mm),
        _signatures("NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", officer_name),
    ]
    return render(story, page="A5", title=f"Mẫu 03 - {dossier.code}", margin_mm=12)


def form_04(dossier, letter) -> bytes:
    s = styles()
    story = [
        _heading(dossier, 118 * mm),
        *_title("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "(Mẫu số 04)"),
        Paragraph(f"Kính gửi: <b>{_esc(dossier.applicant_snapshot.get('full_name'))}</b>", s["base"]),
        Paragraph(
            f"{_esc(dossier.agency.name)} xin lỗi ông/bà "
            f"<b>{_esc(dossier.applicant_snapshot.get('full_name'))}</b> vì hồ sơ "
            f"<b>{_esc(dossier.code)}</b> ({_esc(dossier.version.procedure.name)}) chưa được giải quyết "
            "đúng hẹn.",
            s["base"],
        ),
        _line("Ngày tiếp nhận hồ sơ", _when(dossier.received_at)),
        _line("Ngày hẹn trả kết quả ban đầu", _when(letter.previous_due_at)),
        _line("Lý do", letter.reason),
        _line("Ngày hẹn trả kết quả mới", _when(letter.new_due_at)),
        Spacer(1, 2 * mm),
        Paragraph("Mong ông/bà thông cảm.", s["base"]),
        Spacer(1, 4 * mm),
        _signatures("", "THỦ TRƯỞNG CƠ QUAN", letter.issued_by.full_name),
    ]
    return render(story, page="A5", title=f"Mẫu 04 - {dossier.code}", margin_mm=12)


def stop_event(dossier):
    """The leader's stop of this dossier, if the agency stopped it (not a citizen's withdrawal)."""
    return dossier.events.select_related("actor").filter(action="stop_processing").first()


def stop_notice(dossier, event) -> bytes:
    """The written notice that the agency stops the dossier, with its reason, signed by the leader."""
    s = styles()
    story = [
        _heading(dossier, 118 * mm),
        *_title("THÔNG BÁO VỀ VIỆC DỪNG XỬ LÝ HỒ SƠ"),
        Paragraph(f"Kính gửi: <b>{_esc(dossier.applicant_snapshot.get('full_name'))}</b>", s["base"]),
        _line("Mã hồ sơ", dossier.code),
        _line("Thủ tục", dossier.version.procedure.name),
        _line("Ngày tiếp nhận", _when(dossier.received_at)),
        Spacer(1, 2 * mm),
        Paragraph(
            f"{_esc(dossier.agency.name)} thông báo dừng xử lý hồ sơ trên từ {_when(event.created_at)} vì lý do sau:",
            s["base"],
        ),
        Paragraph(f"<b>{_esc(dossier.result_note)}</b>", s["base"]),
        Spacer(1, 2 * mm),
        Paragraph("Xin thông báo để ông/bà được biết.", s["base"]),
        Spacer(1, 4 * mm),
        _signatures("", "THỦ TRƯỞNG CƠ QUAN", event.actor.full_name if event.actor else ""),
    ]
    return render(story, page="A5", title=f"Thông báo dừng xử lý - {dossier.code}", margin_mm=12)


# The role whose step a move out of each stage completes.
STAGE_ROLE = {
    "checking": "desk_officer",
    "received": "leader",
    "appraising": "specialist",
    "waiting_other_agency": "specialist",
    "awaiting_approval": "leader",
    "result_ready": "desk_officer",
}
TIMELINESS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}


def handoff_rows(events, step_due) -> list[dict]:
    """Form 05's rows: each hand-off between two people (a citizen's rating, a system change and a
    person passing to himself are not hand-offs), judged against its own step's deadline. The steps
    are walked in order, so the desk's return of the result is held to the return step, not to the
    desk's intake step; a step done again (rework) keeps the deadline of the last step of its role."""
    people = [e for e in events if e.action not in ("create", "rate") and e.actor_id]
    rows, position = [], 0
    for previous, event in zip(people, people[1:], strict=False):
        if previous.actor_id == event.actor_id:
            continue
        role = STAGE_ROLE.get(event.data.get("from_stage", ""))
        due = None
        if role:
            later = [i for i in range(position, len(step_due)) if step_due[i].role == role]
            earlier = [i for i in range(position) if step_due[i].role == role]
            index = later[0] if later else (earlier[-1] if earlier else None)
            if index is not None:
                position, due = index, step_due[index].due
        rows.append(
            {
                "step": event.get_action_display(),
                "sender": previous.actor.full_name,
                "receiver": event.actor.full_name,
                "at": event.created_at,
                "due": due,
                "result": TIMELINESS[deadlines.timeliness(event.created_at, due)] if due else "—",
            }
        )
    return rows


def form_05(dossier) -> bytes:
    """Each hand-off: sender, receiver, time, the step's own deadline and how it went."""
    s = styles()
    events = list(dossier.events.select_related("actor").order_by("created_at", "id"))
    cal = calendar_for(dossier.agency)
    steps = list(dossier.version.processing_steps.all())
    step_due = []
    if dossier.clock_started_at and steps:
        step_due = deadlines.step_deadlines(
            cal,
            dossier.clock_started_at,
            dossier.version.processing_time_value,
            dossier.version.processing_time_unit,
            steps,
        )
    header = ["Bước", "Bên giao", "Bên nhận", "Thời điểm", "Hạn của bước", "Kết quả"]
    rows = [[Paragraph(f"<b>{h}</b>", s["small"]) for h in header]]
    for row in handoff_rows(events, step_due):
        rows.append(
            [
                Paragraph(_esc(row["step"]), s["small"]),
                Paragraph(_esc(row["sender"]), s["small"]),
                Paragraph(_esc(row["receiver"]), s["small"]),
                Paragraph(_when(row["at"], "%H:%M %d/%m/%Y"), s["small"]),
                Paragraph(_when(row["due"], "%d/%m/%Y") if row["due"] else "—", s["small"]),
                Paragraph(row["result"], s["small"]),
            ]
        )
    table = Table(rows, colWidths=[24 * mm, 21 * mm, 21 * mm, 18 * mm, 18 * mm, 16 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [
        _heading(dossier, 118 * mm),
        *_title("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "(Mẫu số 05)"),
        _line("Mã hồ sơ", dossier.code),
        _line("Người yêu cầu", dossier.applicant_snapshot.get("full_name")),
        _line("Thủ tục", dossier.version.procedure.name),
        _line("Cơ quan giải quyết", dossier.agency.name),
        *(
            [_line("Cơ quan phối hợp", ", ".join(sorted({t.agency.name for t in dossier.agency_tasks.all()})))]
            if dossier.agency_tasks.exists()
            else []
        ),
        _line("Ngày nhận hồ sơ", _when(dossier.received_at)),
        _line("Ngày hẹn trả", _when(dossier.due_at)),
        Spacer(1, 2 * mm),
        table,
    ]
    return render(story, page="A5", title=f"Mẫu 05 - {dossier.code}", margin_mm=10)


def form_06(rows, *, title: str, period: str) -> bytes:
    """The register (sổ theo dõi) of a desk for a period, A4 landscape, with the columns of Circular
    01/2018: the transfer to the handling agency, the result back from it and the return to the
    applicant, each with a column to sign. Codes are never split across lines."""
    s = styles()
    tiny = ParagraphStyle("tiny", parent=s["small"], fontSize=7, leading=8.5)
    header = [
        "TT", "Mã hồ sơ", "Tên thủ tục", "Người yêu cầu", "Địa chỉ, điện thoại", "Cơ quan chủ trì",
        "Nhận hồ sơ", "Hẹn trả", "Chuyển cơ quan giải quyết", "Ký nhận", "Nhận kết quả", "Ký nhận",
        "Trả kết quả", "Ký nhận", "Trạng thái",
    ]  # fmt: skip
    data = [[Paragraph(f"<b>{h}</b>", tiny) for h in header]]
    for n, row in enumerate(rows, start=1):
        code, name, person, contact, agency, received, due, moved, result, returned, status = row
        data.append(
            [
                str(n),
                code,  # a plain cell: one line
                Paragraph(_esc(name), tiny),
                Paragraph(_esc(person), tiny),
                Paragraph(_esc(contact), tiny),
                Paragraph(_esc(agency), tiny),
                received,
                due,
                moved,
                "",
                result,
                "",
                returned,
                "",
                Paragraph(_esc(status), tiny),
            ]
        )
    widths = [7, 35, 34, 22, 28, 22, 14, 14, 16, 11, 14, 11, 14, 11, 17]
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("FONT", (0, 0), (-1, -1), FONT, 7),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story = [
        Paragraph("SỔ THEO DÕI HỒ SƠ (Mẫu số 06)", s["title"]),
        Paragraph(_esc(title), s["center"]),
        Paragraph(_esc(period), s["center"]),
        Spacer(1, 4 * mm),
        table,
    ]
    return render(story, page=landscape(A4), title="Mẫu 06", margin_mm=10)


# --- which forms a dossier has, and who issued each --------------------------------------------

# Forms addressed to the applicant (the citizen downloads these from their dossier page); Form 05
# is the agency's internal control slip.
FOR_APPLICANT = ("01", "02", "03", "04", "stop", "fee", "receipt")
# Payment receipts, one per payment (`?n=` which): listed with the payments, not with the forms.
RECEIPT = "receipt"
LABELS = {
    "01": _("Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "02": _("Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "03": _("Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "04": _("Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "05": _("Mẫu 05: Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    "stop": _("Thông báo dừng xử lý hồ sơ"),
    "fee": _("Thông báo nộp phí, lệ phí"),
    "receipt": _("Biên lai thu phí, lệ phí"),
}


def _issuer(dossier, *actions) -> str:
    event = dossier.events.select_related("actor").filter(action__in=actions).order_by("-created_at").first()
    return event.actor.full_name if event and event.actor else ""


def available_forms(dossier, *, for_applicant: bool = False) -> list[str]:
    """The numbers of the forms this dossier has been issued, in order."""
    numbers = []
    if dossier.received_at:
        numbers.append("01")
    if dossier.supplements.all():
        numbers.append("02")
    if dossier.stage == "not_received":
        numbers.append("03")
    if hasattr(dossier, "extension"):
        numbers.append("04")
    if not for_applicant:
        numbers.append("05")
    if dossier.stage == "stopped" and stop_event(dossier) is not None:
        numbers.append("stop")
    if dossier.fee_status:
        numbers.append("fee")
    return [n for n in numbers if not for_applicant or n in FOR_APPLICANT]


def _which_request(dossier, request_index: int) -> int:
    count = len(dossier.supplements.all())
    return request_index if 1 <= request_index <= count else count  # 1: the first request made


def render_form(dossier, number: str, request_index: int = 0) -> bytes:
    """The form drawn from the dossier as it is now, in the name of the officer who issued it."""
    if number == "01":
        return form_01(dossier, _issuer(dossier, "accept", "receive_at_counter"))
    if number == "02":
        requests = list(dossier.supplements.all())  # newest first
        which = _which_request(dossier, request_index)
        request = requests[len(requests) - which]
        return form_02(dossier, request, request.requested_by.full_name, number=which)
    if number == "03":
        return form_03(dossier, _issuer(dossier, "refuse"))
    if number == "04":
        return form_04(dossier, dossier.extension)
    if number == "05":
        return form_05(dossier)
    if number in ("fee", RECEIPT):
        from dossiers import fees, payment_printouts

        if number == "fee":
            return payment_printouts.fee_notice(dossier, dossier.fee)
        return payment_printouts.receipt(dossier, fees.payment_of_receipt(dossier, request_index), request_index)
    return stop_notice(dossier, stop_event(dossier))


def form_pdf(dossier, number: str, *, for_applicant: bool = False, request_index: int = 0) -> bytes | None:
    """One form of this dossier: as it was issued when it was kept (dossiers.services.documents), else
    drawn now (Form 05, the live control slip, and dossiers from before forms were kept); None when
    the dossier has no such form (or it is not addressed to the applicant)."""
    if number == RECEIPT:
        # A receipt exists only as it was issued with its payment.
        kept = dossier.issued_forms.filter(number=RECEIPT, index=request_index or 1).order_by("-version").first()
        if kept is None:
            return None
        with kept.file.open("rb") as handle:
            return handle.read()
    if number not in available_forms(dossier, for_applicant=for_applicant):
        return None
    index = _which_request(dossier, request_index) if number == "02" else 1
    kept = dossier.issued_forms.filter(number=number, index=index).order_by("-version").first()
    if kept is not None:
        with kept.file.open("rb") as handle:
            return handle.read()
    return render_form(dossier, number, request_index)
