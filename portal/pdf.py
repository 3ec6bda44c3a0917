"""PDF building blocks shared by every printable document: a bundled Unicode font (DejaVu Sans,
static/fonts) so Vietnamese diacritics render without any system font, and A4/A5 page setups.
Documents are built with `invariant=True` so the same input gives the same bytes."""

import threading
from functools import cache
from io import BytesIO

from django.conf import settings
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import SimpleDocTemplate

FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
PAGE_SIZES = {"A4": A4, "A5": A5}


@cache
def register_fonts() -> None:
    fonts = settings.BASE_DIR / "static" / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


@cache
def styles() -> dict:
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=14)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11),
        "center": ParagraphStyle("center", parent=base, alignment=1),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=13, leading=18, alignment=1, spaceAfter=6
        ),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=15, spaceBefore=6, spaceAfter=2
        ),
        "bold_center": ParagraphStyle("bold_center", parent=base, fontName=FONT_BOLD, alignment=1),
    }


# ReportLab's TrueType faces are shared by every document and not thread-safe: two threads subsetting
# the font at once read each other's file positions (IndexError/KeyError under gunicorn's threads).
_RENDER_LOCK = threading.Lock()


def render(story: list, *, page="A4", title: str = "", margin_mm: float = 15) -> bytes:
    """Lay out a list of flowables on A4 or A5 pages (a name, or a (width, height) tuple) and
    return the PDF bytes."""
    register_fonts()
    buffer = BytesIO()
    size = PAGE_SIZES[page] if isinstance(page, str) else page
    doc = SimpleDocTemplate(
        buffer,
        pagesize=size,
        title=title,
        author="Cổng Dịch vụ công",
        leftMargin=margin_mm * mm,
        rightMargin=margin_mm * mm,
        topMargin=margin_mm * mm,
        bottomMargin=margin_mm * mm,
        invariant=True,
    )
    with _RENDER_LOCK:
        doc.build(story)
    return buffer.getvalue()
