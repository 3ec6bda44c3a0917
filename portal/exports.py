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
