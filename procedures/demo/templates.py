"""Printable form templates for the demo catalog, drawn from each procedure's own form fields:
the national heading, the title, one labelled line per field and the signature block."""

import base64

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from portal.pdf import render, styles

FORM_PREFIXES = ("Tờ khai", "Đơn", "Văn bản đề nghị", "Giấy đề nghị", "Phiếu")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def form_template_pdf(*, procedure_name: str, code: str, title: str, fields: list[dict]) -> bytes:
    s = styles()
    heading = Table(
        [
            [Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", s["bold_center"])],
            [Paragraph("Độc lập - Tự do - Hạnh phúc", s["bold_center"])],
            [Paragraph("―――――――――", s["center"])],
        ],
        colWidths=[170 * mm],
    )
    story = [
        heading,
        Spacer(1, 6 * mm),
        Paragraph(_escape(title.upper()), s["title"]),
        Paragraph(f"(Thủ tục: {_escape(procedure_name)} — mã {code})", s["center"]),
        Spacer(1, 6 * mm),
        Paragraph("Kính gửi: ……………………………………………………………", s["base"]),
        Spacer(1, 3 * mm),
    ]
    section = None
    for field in fields:
        if field.get("section", {}).get("vi") and field["section"]["vi"] != section:
            section = field["section"]["vi"]
            story.append(Paragraph(_escape(section), s["heading"]))
        label = _escape(field["label"]["vi"])
        if field.get("choices"):
            options = "   ".join(f"☐ {_escape(c['label']['vi'])}" for c in field["choices"])
            story.append(Paragraph(f"{label}: {options}", s["base"]))
        else:
            story.append(Paragraph(f"{label}: " + "." * 90, s["base"]))
        story.append(Spacer(1, 1.5 * mm))
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu "
            "trách nhiệm trước pháp luật về lời khai của mình.",
            s["base"],
        ),
        Spacer(1, 6 * mm),
    ]
    signature = Table(
        [
            ["", Paragraph("……, ngày …… tháng …… năm ……", s["center"])],
            ["", Paragraph("<b>NGƯỜI KHAI</b>", s["center"])],
            ["", Paragraph("(Ký, ghi rõ họ tên)", s["center"])],
        ],
        colWidths=[85 * mm, 85 * mm],
    )
    signature.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(signature)
    return render(story, page="A4", title=title)


def add_demo_templates(entry: dict) -> dict:
    """The entry with a printable template for its first form-like component (if it has one)."""
    component = next((c for c in entry["components"] if c["name"].startswith(FORM_PREFIXES)), None)
    if component is None or entry.get("templates"):
        return entry
    pdf = form_template_pdf(
        procedure_name=entry["name"], code=entry["code"], title=component["name"], fields=entry["form_fields"]
    )
    filename = f"mau-{entry['code'].replace('.', '-')}.pdf"
    return {
        **entry,
        "templates": [
            {"name": component["name"], "filename": filename, "content_base64": base64.b64encode(pdf).decode()}
        ],
    }
