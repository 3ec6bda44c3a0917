"""Spreadsheet exports. A cell that starts with = + - @ (or a tab or carriage return) is a formula to
Excel and LibreOffice: a citizen named `=HYPERLINK(...)` would run in the officer's spreadsheet. Such
cells go out with a leading apostrophe (OWASP's advice), which shows the text as typed."""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    """csv.writer whose every cell goes through safe_cell: every CSV export writes through this."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])


def xlsx_bytes(title: str, header: list, rows) -> bytes:
    """One worksheet (openpyxl): the header in bold, then the rows, every cell through safe_cell."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([safe_cell(v) for v in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
