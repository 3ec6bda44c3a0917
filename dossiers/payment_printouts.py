"""The payment notice (Thông báo nộp phí, lệ phí: the bill, how to pay and the VietQR code) and the
e-receipt of one payment (Biên lai thu phí, lệ phí điện tử), A5, in Vietnamese. Both are issued
documents (dossiers.services.documents), sealed where the agency signs."""

from django.utils import timezone
from django.utils.translation import override
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from dossiers import fees
from dossiers.constants import PayMethod
from dossiers.printouts import _esc, _heading, _line, _title, _when, qr, tracking_url
from portal.pdf import render, styles
from portal.templatetags.portal_tags import vnd

WIDTH = 118 * mm


def _vnd(amount) -> str:
    with override("vi"):  # the printouts are Vietnamese whatever the page's language
        return vnd(amount) + " đồng"


def _bill(lines: list, total: int) -> Table:
    s = styles()
    rows = [[Paragraph(f"<b>{h}</b>", s["small"]) for h in ("Khoản phí, lệ phí", "Mức thu", "SL", "Thành tiền")]]
    for line in lines:
        name = _esc(line["name"])
        if line.get("exemption_category"):
            name += f"<br/><i>Miễn {line.get('exemption_percent', 100)} %: {_esc(line['exemption_category'])}</i>"
        rows.append(
            [
                Paragraph(name, s["small"]),
                Paragraph(_vnd(line["unit_amount"]), s["small"]),
                Paragraph(str(line.get("quantity", 1)), s["small"]),
                Paragraph(_vnd(line["amount"]), s["small"]),
            ]
        )
    rows.append(["", "", Paragraph("<b>Tổng</b>", s["small"]), Paragraph(f"<b>{_vnd(total)}</b>", s["small"])])
    table = Table(rows, colWidths=[WIDTH * 0.46, WIDTH * 0.2, WIDTH * 0.08, WIDTH * 0.26])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -2), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    return table


def fee_notice(dossier, assessment) -> bytes:
    """The bill as it was asked, with the three ways to pay."""
    s = styles()
    story = [
        _heading(dossier, WIDTH),
        *_title("THÔNG BÁO NỘP PHÍ, LỆ PHÍ", f"Mã hồ sơ: {_esc(dossier.code)}"),
        _line("Người yêu cầu", dossier.applicant_snapshot.get("full_name")),
        _line("Thủ tục", dossier.version.procedure.name),
        _line("Ngày thông báo", _when(assessment.requested_at)),
        Spacer(1, 2 * mm),
        _bill(assessment.lines, assessment.amount),
        Spacer(1, 2 * mm),
        Paragraph("<b>Cách nộp</b>", s["base"]),
        Paragraph(f"1. Thanh toán trực tuyến trên trang hồ sơ: {_esc(tracking_url(dossier))}", s["small"]),
    ]
    transfer = fees.transfer_for(dossier, assessment)
    if transfer is not None:
        details = [
            Paragraph("2. Chuyển khoản: quét mã VietQR bằng ứng dụng ngân hàng, hoặc chuyển đến:", s["small"]),
            Paragraph(f"Tài khoản <b>{_esc(transfer.account)}</b> ({_esc(transfer.account_name)})", s["small"]),
            Paragraph(f"Ngân hàng (mã BIN) <b>{_esc(transfer.bank_bin)}</b>", s["small"]),
            Paragraph(f"Số tiền <b>{_vnd(transfer.amount)}</b>", s["small"]),
            Paragraph(f"Nội dung <b>{_esc(transfer.content)}</b> (ghi đúng để hệ thống tự đối soát)", s["small"]),
        ]
        table = Table([[details, qr(transfer.payload, 30)]], colWidths=[WIDTH - 34 * mm, 34 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story.append(table)
        story.append(Paragraph("3. Nộp tiền mặt tại Bộ phận Một cửa.", s["small"]))
    else:
        story.append(Paragraph("2. Nộp tiền mặt tại Bộ phận Một cửa.", s["small"]))
    story += [
        Spacer(1, 2 * mm),
        Paragraph(
            "Thời gian chờ nộp phí, lệ phí không tính vào thời hạn giải quyết: ngày hẹn trả kết quả được lùi "
            "tương ứng số ngày làm việc chờ nộp.",
            s["small"],
        ),
    ]
    return render(story, page="A5", title=f"Thông báo nộp phí - {dossier.code}", margin_mm=12)


COLLECTED = {
    PayMethod.ONLINE: "Thu qua cổng thanh toán trực tuyến",
    PayMethod.TRANSFER: "Thu qua chuyển khoản ngân hàng (đối soát sao kê)",
    PayMethod.CASH: "Thu tiền mặt tại Bộ phận Một cửa",
}


def receipt(dossier, payment, index: int) -> bytes:
    """The e-receipt of one payment."""
    s = styles()
    assessment = payment.assessment
    collector = payment.recorded_by.full_name if payment.recorded_by else ""
    story = [
        _heading(dossier, WIDTH),
        *_title("BIÊN LAI THU PHÍ, LỆ PHÍ", f"(Biên lai điện tử) Số: {_esc(dossier.code)}/{index:02d}"),
        _line("Người nộp", dossier.applicant_snapshot.get("full_name")),
        _line("Mã hồ sơ", dossier.code),
        _line("Thủ tục", dossier.version.procedure.name),
        Spacer(1, 2 * mm),
        _bill(assessment.lines, assessment.amount),
        Spacer(1, 2 * mm),
        _line("Số tiền đã nộp", _vnd(payment.amount)),
        _line("Hình thức", COLLECTED[payment.method]),
        _line("Mã giao dịch", payment.reference),
        _line("Thời điểm", _when(payment.received_at)),
    ]
    if collector:
        story.append(_line("Người thu", collector))
    if payment.refund_reason:
        story.append(Paragraph(f"<b>Khoản này sẽ được hoàn trả:</b> {_esc(payment.refund_reason)}", s["small"]))
    story.append(Spacer(1, 2 * mm))
    story.append(
        Paragraph(
            f"Lập lúc {timezone.localtime():%H:%M ngày %d/%m/%Y}. Tra cứu: {_esc(tracking_url(dossier))}", s["small"]
        )
    )
    return render(story, page="A5", title=f"Biên lai - {dossier.code}", margin_mm=12)
