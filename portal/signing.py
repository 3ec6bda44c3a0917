"""PDF signatures (PAdES, pyHanko): each agency signs with its own certificate, and anyone can check
a signed file here.

An agency's key is a PKCS#12 file `<SIGNING_KEYS_DIR>/<agency code>.p12`; its password comes from the
environment (`SIGNING_PASSWORD_<CODE>`, the code upper-cased with every other character as `_`, else
`SIGNING_PASSWORD`; with neither, where demo keys are allowed, the demo keys' password), never from
the database. A certificate of the demo authority (`make run`) is
refused unless `SIGNING_ALLOW_DEMO` is on, which production settings turn off.

Validation trusts the roots listed in `SIGNING_TRUST_ROOTS` (PEM or DER files), plus the demo
authority's where demo certificates are allowed. Nothing is fetched from the network (no CRL or OCSP
round trip in a page view); a certificate outside its validity or from an unknown authority fails."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DEMO_MARK = "DEMO"
SIGNATURE_FIELD = "ChuKySo"
DEMO_CA_FILE = "demo-ca.pem"
DEMO_PASSWORD = b"demo"  # the demo keys' password (make run); not a secret, and refused in production


class SigningUnavailable(Exception):
    """The agency has no usable signing key (none configured, a wrong password, a demo key refused)."""


class UnreadablePdf(ValueError):
    """The file says it is a PDF but its structure cannot be read, so nothing can be added to it."""


def open_pdf(content: bytes):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
        _box(writer)
    except Exception as exc:
        raise UnreadablePdf(_("Tệp PDF bị hỏng hoặc không đọc được.")) from exc
    return writer


def _off_loop(fn, *args, **kwargs):
    """pyHanko's synchronous calls run their own asyncio loop, which fails in a thread where a loop is
    already running (an async caller, a browser test's driver): then run them in a thread of their own."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def keys_dir() -> Path:
    return Path(settings.SIGNING_KEYS_DIR)


def _password(code: str) -> bytes | None:
    own = os.environ.get("SIGNING_PASSWORD_" + re.sub(r"[^A-Z0-9]", "_", code.upper()))
    value = own if own is not None else os.environ.get("SIGNING_PASSWORD")
    if value is None:
        return DEMO_PASSWORD if settings.SIGNING_ALLOW_DEMO else None
    return value.encode()


def has_key(code: str) -> bool:
    return (keys_dir() / f"{code}.p12").is_file()


def is_demo_certificate(cert) -> bool:
    """A certificate made by `make run`'s demo authority (its issuer's or its own organisation says so)."""
    names = [cert.issuer.human_friendly, cert.subject.human_friendly]
    return any(DEMO_MARK in name for name in names)


def _signer(code: str):
    from pyhanko.sign import signers

    path = keys_dir() / f"{code}.p12"
    if not path.is_file():
        raise SigningUnavailable(_("Cơ quan %(code)s chưa có chứng thư số.") % {"code": code})
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(path.read_bytes(), other_certs=[], passphrase=_password(code))
    except Exception as exc:  # pyHanko reports a wrong password or a damaged file in several ways
        raise SigningUnavailable(_("Không mở được chứng thư số của cơ quan %(code)s.") % {"code": code}) from exc
    if signer is None:
        raise SigningUnavailable(_("Không mở được chứng thư số của cơ quan %(code)s.") % {"code": code})
    if is_demo_certificate(signer.signing_cert) and not settings.SIGNING_ALLOW_DEMO:
        raise SigningUnavailable(_("Chứng thư số thử nghiệm (demo) không được dùng ở môi trường chính thức."))
    return signer


STAMP_FONT_SIZE = 7
# The stamp's characters: Latin with Vietnamese letters (precomposed), digits and punctuation.
STAMP_CHARACTERS = [*range(0x20, 0x7F), *range(0xA0, 0x100), 0x102, 0x103, 0x110, 0x111, 0x128, 0x129, 0x168,
                    0x169, 0x1A0, 0x1A1, 0x1AF, 0x1B0, *range(0x1EA0, 0x1EFA), *range(0x2010, 0x2027)]  # fmt: skip


@cache
def _font():
    """DejaVu Sans cut down to the stamp's characters, once per process: pyHanko subsets the font
    again for every document, and the whole font's layout tables made that 0.2 s a stamp (0.03 s
    with this cut)."""
    import tempfile

    from fontTools import subset
    from fontTools.ttLib.scaleUpem import scale_upem
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: fontTools cannot cut them, and says so
    font = subset.load_font(str(settings.BASE_DIR / "static" / "fonts" / "DejaVuSans.ttf"), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=STAMP_CHARACTERS)
    subsetter.subset(font)
    # pyHanko writes the glyph widths in font units, which PDF reads as thousandths of an em: DejaVu's
    # 2,048 units to the em spread the letters apart.
    scale_upem(font, 1000)
    handle, name = tempfile.mkstemp(prefix="portal-stamp-font-", suffix=".ttf")
    with os.fdopen(handle, "wb") as out:
        font.save(out)
    return GlyphAccumulatorFactory(name, font_size=STAMP_FONT_SIZE)


def _box(writer) -> tuple[int, tuple[float, float, float, float]]:
    """The stamp's place: the bottom right corner of the last page, inside its margin."""
    from pyhanko.pdf_utils.generic import ArrayObject

    pages = writer.root["/Pages"]
    count = int(pages["/Count"])
    page = writer.find_page_for_modification(count - 1)[0].get_object()
    box = page.get("/MediaBox") or pages.get("/MediaBox") or ArrayObject([0, 0, 595, 842])
    right, bottom = float(box[2]), float(box[1])
    return count - 1, (right - 300, bottom + 6, right - 10, bottom + 60)


def _style(lines: str):
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import QRStampStyle

    return QRStampStyle(
        stamp_text=lines,
        text_box_style=TextBoxStyle(font=_font(), font_size=STAMP_FONT_SIZE, leading=STAMP_FONT_SIZE + 2),
        border_width=1,
        timestamp_format="%d/%m/%Y %H:%M:%S %z",
    )


def sign_pdf(content: bytes, *, code: str, signer_name: str, reason: str, verify_url: str) -> bytes:
    """Sign `content` with agency `code`'s key: a visible stamp on the last page (who signed, when,
    and a QR code to `verify_url`), a timestamp from `SIGNING_TSA_URL` when one is set."""
    from pyhanko.sign import fields, signers, timestamps

    signer = _signer(code)
    writer = open_pdf(content)
    page, box = _box(writer)
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason,
        name=signer_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    stamper = timestamps.HTTPTimeStamper(settings.SIGNING_TSA_URL) if settings.SIGNING_TSA_URL else None
    text = "%(name)s\n" + _("Ký số lúc: %(time)s") % {"time": "%(ts)s"} + "\n" + _("Xác minh: quét mã QR")
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=stamper,
        stamp_style=_style(text),
        new_field_spec=fields.SigFieldSpec(SIGNATURE_FIELD, on_page=page, box=box),
    )
    out = _off_loop(pdf_signer.sign_pdf, writer, appearance_text_params={"url": verify_url, "name": signer_name})
    return out.getvalue()


def stamp_pdf(content: bytes, *, verify_url: str) -> bytes:
    """An unsigned document still carries the QR code to its verification page (a PDF whose
    structure cannot be read is kept as it is)."""
    from pyhanko.stamp import QRStamp

    try:
        writer = open_pdf(content)
    except UnreadablePdf:
        return content
    page, (x1, y1, _x2, _y2) = _box(writer)
    QRStamp(writer, url=verify_url, style=_style(_("Văn bản không ký số.\nXác minh: quét mã QR"))).apply(page, x1, y1)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class Verdict:
    """What a file's signatures say. `valid` is the bottom line: signed, untouched since, by a
    certificate of a trusted authority that was valid when it signed."""

    signed: bool
    valid: bool = False
    intact: bool = False
    trusted: bool = False
    signer: str = ""  # the certificate's holder
    name: str = ""  # the person named in the signature (a leader signing with the agency's key)
    signed_at: dt.datetime | None = None
    problem: str = ""


def _trust_roots() -> list:
    from pyhanko.keys import load_certs_from_pemder

    files = list(settings.SIGNING_TRUST_ROOTS)
    demo = keys_dir() / DEMO_CA_FILE
    if settings.SIGNING_ALLOW_DEMO and demo.is_file():
        files.append(str(demo))
    return [cert for name in files for cert in load_certs_from_pemder([name])]


def _covers(status) -> bool:
    """The signature covers the whole file, or a later revision only filled forms or added
    another signature or timestamp (a tampered file adds anything else)."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.modification_level in (
        ModificationLevel.NONE,
        ModificationLevel.LTA_UPDATES,
        ModificationLevel.FORM_FILLING,
    )


def validate_pdf(content: bytes) -> Verdict:
    """Check every signature of a PDF; the verdict of the first one that fails, else of the last."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return Verdict(signed=False, problem=_("Tệp không phải là PDF đọc được."))
    if not signatures:
        return Verdict(signed=False, problem=_("Tệp không có chữ ký số."))
    verdict = None
    for signature in signatures:
        context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False, revocation_mode="soft-fail")
        try:
            status = _off_loop(validate_pdf_signature, signature, context)
        except Exception as exc:
            logger.info("signature unreadable: %s", exc)
            return Verdict(signed=True, problem=_("Chữ ký số không đọc được."))
        cert = status.signing_cert
        whole = _covers(status)
        intact = bool(status.intact and status.valid and whole)
        problem = ""
        if not intact:
            problem = _("Tệp đã bị thay đổi sau khi ký.")
        elif not status.trusted:
            problem = _("Chứng thư số không do tổ chức được tin cậy cấp, hoặc đã hết hạn khi ký.")
        elif is_demo_certificate(cert) and not settings.SIGNING_ALLOW_DEMO:
            problem = _("Chứng thư số thử nghiệm (demo) không có giá trị.")
        verdict = Verdict(
            signed=True,
            valid=not problem,
            intact=intact,
            trusted=bool(status.trusted),
            signer=cert.subject.native.get("common_name", cert.subject.human_friendly) if cert else "",
            name=str(signature.sig_object.get("/Name", "")),
            signed_at=status.signer_reported_dt,
            problem=problem,
        )
        if problem:
            return verdict
    return verdict
