"""Filing in the web benchmark: citizens fill in drafts through the portal's pages (bench/filing_client.py,
untimed), then, all at once, upload the last 1 MB PDF to each draft and submit it (timed); the reference
app's bare upload view stores the same number of uploads with the same HTTP client (its Browser) and the
same concurrency. Both are checked for lost or duplicated
files: on the portal from the database and MEDIA_ROOT, on the reference from its upload folder."""

import hashlib
import threading
import time
from pathlib import Path

PDF_BYTES = 1024 * 1024


def portal_filing(base_url: str, citizens: list, *, per_citizen: int, concurrency: int, media_root: Path) -> dict:
    from bench import filing_client

    pdf = filing_client.make_pdf(PDF_BYTES)
    result = filing_client.file_dossiers(
        base_url, citizens, per_citizen, concurrency, pdf, forwarded_https=True, timed="finish"
    )
    result.update(verify_portal_files(result["filed"], pdf, media_root))
    result["rate"] = result["dossiers_per_second"]
    # The latencies per page and the filed codes are long; the summary keeps what the report shows.
    result["filed"] = result["filed"][:5]
    return result


def verify_portal_files(codes: list[str], pdf: bytes, media_root: Path) -> dict:
    """Every filed dossier has one current file per required component asked for online (not the
    paper form the e-form stands for), on disk with the uploaded bytes."""
    from django.db.models import Count

    from dossiers.models import Attachment, Dossier

    digest = hashlib.sha256(pdf).hexdigest()
    dossiers = list(Dossier.objects.filter(code__in=codes).prefetch_related("version__components"))
    missing, duplicated, damaged = 0, 0, 0
    for dossier in dossiers:
        required = {c.pk for c in dossier.version.components.all() if c.required and not c.replaced_by_eform}
        current = list(
            Attachment.objects.filter(dossier=dossier, is_current=True).values("component_id").annotate(n=Count("id"))
        )
        have = {row["component_id"]: row["n"] for row in current}
        missing += len(required - set(have))
        duplicated += sum(n - 1 for n in have.values() if n > 1)
        for attachment in Attachment.objects.filter(dossier=dossier, is_current=True):
            path = media_root / attachment.file.name
            if attachment.sha256 != digest or not path.exists() or path.stat().st_size != len(pdf):
                damaged += 1
    return {
        "files_missing": missing + len(set(codes)) - len(dossiers),
        "files_duplicated": duplicated,
        "files_damaged": damaged,
    }


def reference_uploads(base_url: str, *, uploads: int, concurrency: int, folder: Path) -> dict:
    """`uploads` POSTs of the 1 MB PDF to the bare view from `concurrency` threads, each with the filing
    client's Browser (keep-alive connection, multipart body)."""
    from bench import filing_client

    pdf = filing_client.make_pdf(PDF_BYTES)
    before = set(folder.glob("*.pdf")) if folder.exists() else set()
    stats = filing_client.Stats()
    lanes = [uploads // concurrency + (1 if i < uploads % concurrency else 0) for i in range(concurrency)]
    ready = threading.Barrier(concurrency + 1)
    failures = []

    def lane(count):
        browser = filing_client.Browser(base_url, stats)
        ready.wait(timeout=60)
        for i in range(count):
            try:
                status, _ = browser.post("/upload/", [], page="upload", file=("file", f"ban-quet-{i}.pdf", pdf))
                if status != 201:
                    failures.append(status)
            except OSError as exc:
                failures.append(str(exc))
                browser.close()
        browser.close()

    threads = [threading.Thread(target=lane, args=(n,), daemon=True) for n in lanes]
    for thread in threads:
        thread.start()
    ready.wait(timeout=60)
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    stored = set(folder.glob("*.pdf")) - before
    damaged = sum(1 for p in stored if p.stat().st_size != len(pdf))
    return {
        "uploads": uploads,
        "stored": len(stored),
        "failed": len(failures),
        "files_damaged": damaged,
        "elapsed_seconds": round(elapsed, 2),
        "uploads_per_second": round(uploads / elapsed, 2),
        "concurrency": concurrency,
        "statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
        "latency": {page: filing_client._percentiles(v) for page, v in stats.latencies.items()},
    }
