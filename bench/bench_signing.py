"""Signing results (make bench-signing): the time per document of the leader's PAdES signature with
its visible stamp and QR code, and of a validation, on this machine.

A throwaway authority and agency key are made in a temporary folder (as the tests do); N results (one
A4 page each, drawn as the demo's are) are signed one after the other with portal.signing.sign_pdf, then
each signed file is validated with portal.signing.validate_pdf. Also times the QR stamp of an unsigned
document. Writes bench/results/signing-*.json and prints a summary.

    .venv/bin/python bench/bench_signing.py            # 100 results
    .venv/bin/python bench/bench_signing.py --count 10
"""

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("PORTAL_VAR_DIR", tempfile.mkdtemp(prefix="bench-signing-var-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from reportlab.platypus import Paragraph  # noqa: E402

from portal import pdf, signing  # noqa: E402
from portal.signing_keys import make_agency_key, make_authority  # noqa: E402

PASSWORD = b"bench-signing"
CODE = "BENCH.01"


def result_pdf(i: int) -> bytes:
    text = pdf.styles()
    story = [
        Paragraph("GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", text["title"]),
        Paragraph(f"Số {i:06d} — Ủy ban nhân dân huyện Lạc Thủy chứng nhận hộ kinh doanh Nguyễn Văn An", text["base"]),
    ] * 6
    return pdf.render(story, title="Kết quả")


def timed(fn, items) -> tuple[list, list[float]]:
    out, times = [], []
    for item in items:
        start = time.perf_counter()
        out.append(fn(item))
        times.append(time.perf_counter() - start)
    return out, times


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "count": len(times),
        "mean_ms": round(statistics.mean(times) * 1000, 1),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1),
        "total_s": round(sum(times), 2),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="folder of the JSON report")
    args = parser.parse_args(argv)

    keys = Path(tempfile.mkdtemp(prefix="bench-signing-keys-"))
    authority = make_authority("CA bench")
    (keys / f"{CODE}.p12").write_bytes(make_agency_key(authority, "UBND huyện Bench", password=PASSWORD))
    (keys / "root.pem").write_bytes(authority.pem())
    settings.SIGNING_KEYS_DIR = keys
    settings.SIGNING_TRUST_ROOTS = [str(keys / "root.pem")]
    os.environ["SIGNING_PASSWORD"] = PASSWORD.decode()

    documents = [result_pdf(i) for i in range(args.count)]
    url = f"{settings.PORTAL_BASE_URL}/verify/00000000-0000-0000-0000-000000000000/"
    signing.stamp_pdf(documents[0], verify_url=url)  # the process's first stamp cuts the font once

    def sign(content):
        return signing.sign_pdf(
            content, code=CODE, signer_name="Nguyễn Văn Lãnh, Lãnh đạo UBND huyện Bench", reason="Bench",
            verify_url=url,
        )  # fmt: skip

    signed, sign_times = timed(sign, documents)
    verdicts, validate_times = timed(signing.validate_pdf, signed)
    _stamped, stamp_times = timed(lambda c: signing.stamp_pdf(c, verify_url=url), documents)
    invalid = sum(1 for v in verdicts if not v.valid)

    report = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "documents": args.count,
        "pdf_kb": round(statistics.mean(len(d) for d in documents) / 1024, 1),
        "sign": summary(sign_times),
        "validate": summary(validate_times),
        "stamp_unsigned": summary(stamp_times),
        "invalid_after_signing": invalid,
    }
    out = args.out / f"signing-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    for name in ("sign", "validate", "stamp_unsigned"):
        s = report[name]
        print(f"{name:15} {s['count']} documents: mean {s['mean_ms']} ms, p50 {s['p50_ms']} ms, p99 {s['p99_ms']} ms")
    print(f"written {out}")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
