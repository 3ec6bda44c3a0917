"""Results of the web benchmark: the acceptance lines of issue 9, the JSON files and docs/performance.md."""

import datetime as dt
import json
import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "performance.md"
MIN_RATIO, MAX_P99_RATIO, MAX_DRIFT, WORST_MIN_RATIO, FILING_MIN_RATIO = 0.25, 4.0, 0.20, 0.10, 0.5


def machine() -> dict:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else ""
    )
    memory = 0
    if Path("/proc/meminfo").exists():
        memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
    return {
        "host": platform.node(),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_mb": memory,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "wrk": _wrk_version(),
    }


def _wrk_version() -> str:
    try:
        done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=10, check=False)
        return (done.stdout or done.stderr).splitlines()[0].strip()
    except (OSError, IndexError):
        return ""


def _line(name: str, passed: bool | None, detail: str) -> dict:
    return {"line": name, "passed": passed, "detail": detail}


def acceptance(scales: list[dict]) -> list[dict]:
    """Every check of the issue that this run can evaluate, one line each."""
    lines = []
    realistic = [s for s in scales if s["kind"] == "realistic"]
    top = max(realistic, key=lambda s: s["dossiers_target"], default=None)
    if top:
        for page in top["pages"]:
            if not page["acceptance"] or page.get("rps") is None:
                continue
            ok = page["ratio_rps"] >= MIN_RATIO and page["ratio_p99"] <= MAX_P99_RATIO
            detail = f"{page['ratio_rps']:.2f}x req/s, p99 {page['ratio_p99']:.1f}x"
            lines.append(
                _line(
                    f"{top['name']}: {page['name']} >= {MIN_RATIO}x reference req/s, p99 <= {MAX_P99_RATIO}x",
                    ok,
                    detail,
                )
            )
    if len(realistic) >= 2:
        low, high = sorted(realistic, key=lambda s: s["dossiers_target"])[-2:]
        before = {p["name"]: p for p in low["pages"]}
        for page in high["pages"]:
            other = before.get(page["name"])
            if not page["acceptance"] or not other or not other.get("rps") or page.get("rps") is None:
                continue
            drift = abs(page["rps"] - other["rps"]) / other["rps"]
            lines.append(
                _line(
                    f"{page['name']}: req/s at {low['name']} and {high['name']} within {MAX_DRIFT:.0%}",
                    drift < MAX_DRIFT,
                    f"{other['rps']} -> {page['rps']} req/s ({drift:+.0%})",
                )
            )
    for scale in (s for s in scales if s["kind"] == "worst"):
        for page in scale["pages"]:
            if page["group"] == "desk" and page.get("rps") is not None:
                lines.append(
                    _line(
                        f"worst case: {page['name']} >= {WORST_MIN_RATIO}x reference req/s",
                        page["ratio_rps"] >= WORST_MIN_RATIO,
                        f"{page['ratio_rps']:.2f}x",
                    )
                )
    for scale in scales:
        filing = scale.get("filing")
        if not filing:
            continue
        portal, bare = filing["portal"], filing["reference"]
        intact = (
            portal["filed_count"] == portal["expected"] == portal["distinct_codes"]
            and not portal["files_missing"]
            and not portal["files_duplicated"]
            and not portal["files_damaged"]
            and bare["stored"] == bare["uploads"]
            and not bare["files_damaged"]
        )
        lines.append(
            _line(
                f"{scale['name']}: filing >= {FILING_MIN_RATIO}x the bare upload view, no file lost or duplicated",
                filing["ratio"] >= FILING_MIN_RATIO and intact,
                f"{portal['rate']} dossiers/s (last 1 MB upload + submit) vs {filing['reference_rate']} "
                f"bare uploads/s = {filing['ratio']:.2f}x; filed {portal['filed_count']}/{portal['expected']}, "
                f"distinct {portal['distinct_codes']}, missing {portal['files_missing']}, duplicated "
                f"{portal['files_duplicated']}, damaged {portal['files_damaged']}",
            )
        )
    return lines


def write(results: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    text = json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    out = RESULTS / f"web-{stamp}.json"
    out.write_text(text, encoding="utf-8")
    (RESULTS / "web-latest.json").write_text(text, encoding="utf-8")
    return out


def _fmt(value, suffix="") -> str:
    return "–" if value is None else f"{value}{suffix}"


def markdown(results: dict) -> str:
    m, s = results["machine"], results["settings"]
    out = [
        "# Performance",
        "",
        "Generated by `make bench-web` (bench/bench_web.py) from `bench/results/web-latest.json`; do not edit by hand.",
        "",
        f"Run {results['when']} on {m['cores']} cores ({m['cpu']}), {m['memory_mb']:,} MB, "
        f"{results['postgresql']}, Python {m['python']}, {m['wrk']}.",
        "",
        "## Method",
        "",
        f"- The portal runs under **production settings** (DJANGO_ENV=production, generated secret key, HTTPS "
        f"redirect on, requests carry `X-Forwarded-Proto: https`) with gunicorn "
        f"({s['gunicorn']}, {s['workers']} workers), next to a **bare Django reference app** (bench/reference/: "
        "no middleware, raw SQL reading the same 25 open rows of one agency through `dossier_queue_idx`, a tiny "
        "template; and a bare upload view) served by the same gunicorn configuration, in the same run.",
        f"- Load: **wrk, {s['connections']} connections**, {s['seconds']} s a page after {s['warmup']} s of "
        "warm-up; each request carries the session cookie of one of 16 users of the page's role (real session "
        "rows, as a login stores them). Ratios compare with the mean of the reference measured before and after "
        "each scale's pages.",
        "- Data: bench/generate.py, set-based SQL on top of the demo: ten communes, three years, ~95 % finished, "
        "open dossiers over every open stage, events, attachments, supplements, ratings; then a worst-case agency "
        "whose dossiers are all open.",
        f"- Plan checks: each page's SQL captured by running the view once, EXPLAIN (ANALYZE, BUFFERS) of every "
        "SELECT and of every EXECUTE of a look-up prepared on the connection; "
        f"flagged: a Sort over more than {results['plan_limits']['sort_rows']} rows, a sequential or "
        f"bitmap heap scan of dossiers or events touching more than {results['plan_limits']['scan_rows']} rows, "
        "an index scan on them whose filter removes that many. `SQL ms`: the page's SELECTs under EXPLAIN ANALYZE "
        "(one request, no load); the rest of a page's time is spent in Python. `queries`: what a second request "
        "runs (the first also builds the lists each process keeps for a minute, and those are explained too).",
        "",
    ]
    for scale in results["scales"]:
        ref = scale["reference"]["mean"]
        counts = scale.get("counts", {})
        out += [
            f"## {scale['name']} ({scale['kind']}: {counts.get('dossiers', 0):,} dossiers, "
            f"{counts.get('open_dossiers', 0):,} open, {counts.get('events', 0):,} events)",
            "",
            f"Reference: {ref['rps']} req/s, p50 {ref['p50_ms']} ms, p99 {ref['p99_ms']} ms "
            f"(before {scale['reference']['before']['rps']}, after {scale['reference']['after']['rps']}). "
            f"Generated in {scale['generate']['seconds']} s.",
            "",
            "| page | req/s | p50 ms | p99 ms | x ref req/s | x ref p99 | non-200 | queries | SQL ms | slowest | "
            "plan |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for p in scale["pages"]:
            plan = p.get("plan") or {}
            top = plan.get("top") or {}
            verdict = (
                "ok"
                if plan.get("ok")
                else ("; ".join(f for q in plan.get("flagged", []) for f in q["flags"]) or "failed")
            )
            out.append(
                f"| {p['name']} | {_fmt(p.get('rps'))} | {_fmt(p.get('p50_ms'))} | {_fmt(p.get('p99_ms'))} | "
                f"{_fmt(p.get('ratio_rps'))} | {_fmt(p.get('ratio_p99'))} | {p.get('non200', '–')} | "
                f"{_fmt(plan.get('queries'))} | {_fmt(plan.get('total_ms'))} | {_fmt(top.get('ms'))} | "
                f"{verdict[:160]} |"
            )
        filing = scale.get("filing")
        if filing:
            portal, bare = filing["portal"], filing["reference"]
            out += [
                "",
                f"Filing ({portal['concurrency']} citizens at once, {portal['expected']} drafts filled in "
                f"beforehand, then timed: the last 1 MB PDF upload and the submission): {portal['rate']} "
                f"dossiers/s; bare upload view, as many uploads: {bare['uploads_per_second']} uploads/s; ratio "
                f"{filing['ratio']:.2f}x.",
            ]
        out.append("")
    out += ["## Plan checks", ""]
    flagged = [
        (scale["name"], p)
        for scale in results["scales"]
        for p in scale["pages"]
        if p.get("plan") and not p["plan"]["ok"]
    ]
    if not flagged:
        out.append("Every page's plans passed.")
    for name, p in flagged:
        for q in p["plan"]["flagged"][:3]:
            out.append(f"- {name}, {p['name']}: {'; '.join(q['flags'])} ({q['ms']} ms): `{q['sql'][:300]}`")
    out += ["", "## Acceptance (issue 9)", ""]
    for line in results["acceptance"]:
        verdict = {True: "PASS", False: "FAIL", None: "n/a"}[line["passed"]]
        out.append(f"- **{verdict}** {line['line']}: {line['detail']}")
    return "\n".join(out) + "\n"


def write_doc(results: dict) -> None:
    DOC.write_text(markdown(results), encoding="utf-8")
