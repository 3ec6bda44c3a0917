"""Bank reconciliation: an agency's statement (CSV exported from the bank) is imported in the admin,
one row per credit; each line whose content carries a dossier's transfer content (the code as the
VietQR asked for it) is recorded as that dossier's payment by transfer. A line the job cannot match
stays "unmatched" with the reason, for the desk to look at; importing the same statement twice adds
nothing (the bank's reference is unique per account)."""

import csv
import datetime as dt
import io
import logging
import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier, StatementLine
from portal.exceptions import ApplicationError
from portal.payments import vietqr

logger = logging.getLogger(__name__)

# The columns the import reads (a header row names them; other columns are ignored).
COLUMNS = ("reference", "date", "amount", "content")
HEADER_NAMES = {
    "reference": {"reference", "ref", "so tham chieu", "số tham chiếu", "ma giao dich", "mã giao dịch"},
    "date": {"date", "ngay", "ngày", "ngay giao dich", "ngày giao dịch"},
    "amount": {"amount", "so tien", "số tiền", "credit", "ghi co", "ghi có"},
    "content": {"content", "description", "noi dung", "nội dung", "dien giai", "diễn giải"},
}
MAX_ROWS = 20000


def _column_map(header: list[str]) -> dict[str, int]:
    found = {}
    for index, name in enumerate(header):
        key = name.strip().lower()
        for column, names in HEADER_NAMES.items():
            if key in names:
                found[column] = index
    missing = [c for c in COLUMNS if c not in found]
    if missing:
        raise ApplicationError(
            _("Tệp sao kê thiếu cột: %(cols)s (dòng đầu phải có: reference, date, amount, content).")
            % {"cols": ", ".join(missing)},
            field="file",
        )
    return found


def _date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _amount(text: str) -> int:
    digits = re.sub(r"[.,\s]|đ|VND", "", text.strip(), flags=re.IGNORECASE)
    if not digits.isdigit():
        raise ValueError(text)
    return int(digits)


def statement_import(*, account: str, content: bytes, actor) -> tuple[int, int, list[str]]:
    """Read a statement CSV (UTF-8, comma or semicolon) into lines of `account`; returns (added,
    already there, problems by row). Every row is checked before any is written."""
    account = (account or "").strip()
    if not account:
        raise ApplicationError(_("Chọn tài khoản của sao kê."), field="account")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApplicationError(_("Tệp sao kê phải là CSV mã hóa UTF-8."), field="file") from exc
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;") if text.strip() else csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if len(rows) < 2:
        raise ApplicationError(_("Tệp sao kê không có dòng giao dịch nào."), field="file")
    if len(rows) > MAX_ROWS + 1:
        raise ApplicationError(_("Tệp sao kê quá dài: tối đa %(n)s dòng mỗi lần.") % {"n": MAX_ROWS}, field="file")
    columns = _column_map(rows[0])
    lines, problems = [], []
    now = timezone.now()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            values = {c: row[i] for c, i in columns.items()}
            line = StatementLine(
                account=account,
                reference=values["reference"].strip()[:80],
                booked_on=_date(values["date"]),
                amount=_amount(values["amount"]),
                content=values["content"].strip()[:500],
                imported_at=now,
                imported_by=actor,
            )
        except (IndexError, ValueError):
            problems.append(_("Dòng %(n)s: ngày, số tiền hoặc số cột không đọc được.") % {"n": number})
            continue
        if not line.reference:
            problems.append(_("Dòng %(n)s: thiếu số tham chiếu.") % {"n": number})
            continue
        lines.append(line)
    if problems:
        raise ApplicationError(" ".join(problems[:20]), field="file")
    known = set(
        StatementLine.objects.filter(account=account, reference__in=[x.reference for x in lines]).values_list(
            "reference", flat=True
        )
    )
    fresh = {x.reference: x for x in lines if x.reference not in known}
    with transaction.atomic():
        StatementLine.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    return len(fresh), len(lines) - len(fresh), []


def _dossier_for(line: StatementLine) -> Dossier | None:
    """The dossier whose transfer content the line's content carries. Banks add their own words around
    it and drop punctuation, so the code is rebuilt: an agency's code (letters and digits) followed by
    the six digits of the day and the four of the sequence, as vietqr.transfer_content wrote it."""
    from portal.selectors import agency_tree

    text = vietqr.normalise(line.content)
    codes = {vietqr.normalise(code): code for code, _name, _parent in agency_tree().values()}
    for match in re.finditer(r"HS([A-Z0-9]+?)(\d{6})(\d{4})(?!\d)", text):
        agency_code = codes.get(match.group(1))
        if agency_code is None:
            continue
        # Only a dossier that was asked for its fee (the year of demo history marks fees paid without one).
        dossier = Dossier.objects.filter(
            code=f"{agency_code}-{match.group(2)}-{match.group(3)}", fee__isnull=False
        ).first()
        if dossier is not None:
            return dossier
    return None


def statement_match(limit: int = 5000) -> dict:
    """Match the unmatched lines (a periodic job, and right after an import)."""
    from dossiers.services.payments import payment_record_transfer

    done = {"matched": 0, "unmatched": 0}
    for line in StatementLine.objects.filter(state=StatementLine.State.UNMATCHED).order_by("imported_at", "id")[:limit]:
        dossier = _dossier_for(line)
        if dossier is None:
            _leave(line, _("Nội dung không chứa mã hồ sơ nào đang thu phí."))
            done["unmatched"] += 1
            continue
        try:
            payment = payment_record_transfer(
                dossier_id=dossier.pk,
                amount=line.amount,
                reference=f"{line.account}:{line.reference}",
                at=timezone.make_aware(dt.datetime.combine(line.booked_on, dt.time(12, 0))),
            )
        except IntegrityError:
            logger.exception("statement line %s could not be recorded", line.pk)
            continue
        line.state, line.payment, line.problem = StatementLine.State.MATCHED, payment, ""
        line.save(update_fields=["state", "payment", "problem"])
        done["matched"] += 1
    return done


def _leave(line: StatementLine, problem: str) -> None:
    if line.problem != problem:
        line.problem = problem[:255]
        line.save(update_fields=["problem"])
