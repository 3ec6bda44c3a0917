"""The web benchmark (make bench-web): the portal's pages under production settings and gunicorn, loaded by
wrk with 16 logged-in users, side by side with a bare Django reference app in the same run, at growing
scales (default 100,000 then 1,000,000 realistic dossiers, then a worst-case agency with 100,000 open ones).

For every page: a check GET (must be 200), the plan checks of its SQL (bench/plans.py), a warm-up, then
req/s, p50 and p99, and the ratios to the reference (its mean before and after the scale's pages). Filing
is measured against the reference's bare upload view. Writes bench/results/web-<timestamp>.json and
web-latest.json and regenerates docs/performance.md. Exit code 1 when a page did not answer 200 or a plan
check failed (--no-fail relaxes it; --strict also fails on the issue's ratios).

Needs the local PostgreSQL (database portal_bench_web, dropped and created) and Redis (database 10)."""

import argparse
import datetime as dt
import os
import re
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402  (no Django import: settings come from the environment set below)

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# Two runs at once (the CI test beside a full run) need their own ports: BENCH_WEB_PORT and the next one.
PORTAL_PORT = int(os.environ.get("BENCH_WEB_PORT", "8611"))
REFERENCE_PORT = PORTAL_PORT + 1


def parse_args(argv=None):
    top = int(os.environ.get("BENCH_DOSSIERS", "1000000"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scales",
        default=os.environ.get("BENCH_SCALES", ""),
        help="comma-separated realistic dataset sizes (default: 100000 and BENCH_DOSSIERS)",
    )
    parser.add_argument(
        "--worst",
        type=int,
        default=int(os.environ.get("BENCH_WORST", "100000")),
        help="open dossiers of the worst-case agency (0: skip it)",
    )
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "10")))
    parser.add_argument("--warmup", type=float, default=float(os.environ.get("BENCH_WARMUP", "2")))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--filings",
        type=int,
        default=int(os.environ.get("BENCH_FILINGS_PER_CITIZEN", "2")),
        help="dossiers each of the 16 citizens files per scale (0: skip filing)",
    )
    parser.add_argument("--pages", default="", help="only pages whose name matches this regular expression")
    parser.add_argument("--db", default=os.environ.get("BENCH_WEB_DB", "portal_bench_web"))
    parser.add_argument("--out", default="", help="write the results and performance.md here instead of the repo")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even when pages or plan checks fail")
    parser.add_argument("--strict", action="store_true", help="also fail when an acceptance ratio fails")
    args = parser.parse_args(argv)
    if args.scales:
        args.scale_list = [int(x) for x in args.scales.split(",") if x.strip()]
    else:
        args.scale_list = sorted({min(100_000, top), top})
    if not args.db.startswith("portal_bench_web"):
        parser.error("the database name must start with portal_bench_web (it is dropped)")
    return args


def configure_environment(args) -> Path:
    """Production settings as a deployment sets them, pointed at the bench database and folders."""
    var = Path(os.environ.get("BENCH_WEB_VAR", ROOT / "var" / args.db.replace("portal_", "")))
    redis = os.environ.get("BENCH_WEB_REDIS", "redis://127.0.0.1:6379/10")
    os.environ.update(
        {
            "DATABASE_URL": f"{PG}/{args.db}",
            "REDIS_URL": redis,
            "REDIS_CACHE_URL": redis,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "PORTAL_VAR_DIR": str(var),
            "MEDIA_ROOT": str(var / "media"),
            "LOG_LEVEL": "WARNING",
            "BENCH_REFERENCE_UPLOADS": str(var / "reference-uploads"),
            # The filing citizens log in from one address; the per-address limits are tested in tests/security.
            "PORTAL_RATE_LOGIN": "100000/m",
        }
    )
    var.mkdir(parents=True, exist_ok=True)
    return var


def reset_database(name: str) -> None:
    import psycopg2

    admin = psycopg2.connect(f"{PG}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    admin.close()
    try:
        import redis

        redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()  # database 10 is the benchmark's own
    except Exception as exc:  # noqa: BLE001  (a missing Redis shows up again, clearly, when the portal starts)
        print(f"  (Redis not flushed: {exc})")


def setup_django() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet:  # noqa: PTH123
        call_command("migrate", verbosity=0, stdout=quiet)
        call_command("load_demo", "--force", "--quiet-logins", stdout=quiet)
        call_command("collectstatic", "--noinput", verbosity=0, stdout=quiet)


class Run:
    def __init__(self, args, var: Path):
        from bench.dataset import Dataset

        self.args, self.var = args, var
        pool = max(1000, min(100_000, max(args.scale_list) // 10))
        self.data = Dataset(media_root=var / "media", pool=pool, filing_citizens=args.connections)
        self.cookies: dict[str, Path] = {}
        self.portal = load.Server(
            "portal", "portal.wsgi:application", PORTAL_PORT, dict(os.environ), args.workers, var / "logs"
        )
        self.reference = load.Server(
            "reference",
            "bench.reference.wsgi:application",
            REFERENCE_PORT,
            {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.reference.settings"},
            args.workers,
            var / "logs",
        )
        self.failures: list[str] = []

    # --- measuring -----------------------------------------------------------------------------------
    def wrk(self, url, cookie_file=None, rotate_address=False) -> dict:
        a = self.args
        if a.warmup > 0:
            load.wrk(
                url, cookie_file=cookie_file, seconds=a.warmup, connections=a.connections, rotate_address=rotate_address
            )
        return load.wrk(
            url, cookie_file=cookie_file, seconds=a.seconds, connections=a.connections, rotate_address=rotate_address
        )

    def measure_reference(self, agency_id: int) -> dict:
        return self.wrk(f"{self.reference.base_url}/queue/?agency={agency_id}&stage=appraising")

    def first_cookie(self, users: str) -> str | None:
        path = self.cookies.get(users)
        return path.read_text(encoding="utf-8").splitlines()[0] if path else None

    def check(self, page) -> tuple[int, bytes]:
        cookie = self.first_cookie(page.users)
        status, _, body = load.get(self.portal.base_url + page.path, headers={"Cookie": cookie} if cookie else {})
        if status == 429 and 429 in page.allowed_during_load:
            # The per-address limit of public tracking, used up by the previous scale's load: wait it out.
            time.sleep(61 - time.time() % 60)
            status, _, body = load.get(self.portal.base_url + page.path, headers={})
        return status, body

    def measure_page(self, page) -> dict:
        from bench import plans
        from bench.pages import next_page_path

        result = {
            "name": page.name,
            "path": page.path,
            "users": page.users,
            "group": page.group,
            "acceptance": page.acceptance,
        }
        if page.name.endswith("next page"):
            status, body = self.check(page)
            following = next_page_path(body.decode("utf-8", "replace")) if status == 200 else None
            if not following:
                return self.fail(result, status, body, "the first page has no rel=next link")
            page.path = page.path.split("?")[0] + following if following.startswith("?") else following
            result["path"] = page.path
        status, body = self.check(page)
        result["status"] = status
        if status != 200:
            return self.fail(result, status, body, "check GET")
        result["plan"] = plans.check_page(page.path, self.first_cookie(page.users))
        load_result = self.wrk(self.portal.base_url + page.path, self.cookies.get(page.users), page.rotate_address)
        result.update(load_result)
        unexpected = set(load_result["non200_statuses"]) - page.allowed_during_load
        if unexpected or load_result["socket_errors"]:
            self.failures.append(
                f"{page.name}: statuses {sorted(unexpected)} / {load_result['socket_errors']} socket errors during load"
            )
        if not result["plan"]["ok"]:
            self.failures.append(f"{page.name}: plan check")
        return result

    def fail(self, result, status, body, why) -> dict:
        self.failures.append(f"{result['name']}: {why}: HTTP {status}")
        print(
            f"\n  FAILED {result['name']} ({result['path']}): {why}: HTTP {status}\n"
            f"{body[:2048].decode('utf-8', 'replace')}\n",
            flush=True,
        )
        result.update(status=status, rps=None)
        return result

    def measure_scale(self, name: str, kind: str, pages: list, reference_agency: int) -> dict:
        print(f"\n== {name}: reference before", flush=True)
        before = self.measure_reference(reference_agency)
        print(f"  reference: {before['rps']} req/s, p50 {before['p50_ms']} ms, p99 {before['p99_ms']} ms")
        measured = []
        for page in pages:
            if self.args.pages and not re.search(self.args.pages, page.name):
                continue
            measured.append(self.measure_page(page))
        after = self.measure_reference(reference_agency)
        print(f"  reference after: {after['rps']} req/s, p50 {after['p50_ms']} ms, p99 {after['p99_ms']} ms")
        mean = {key: round((before[key] + after[key]) / 2, 1) for key in ("rps", "p50_ms", "p99_ms")}
        for page in measured:
            if page.get("rps") is not None:
                page["ratio_rps"] = round(page["rps"] / mean["rps"], 3) if mean["rps"] else 0.0
                page["ratio_p99"] = round(page["p99_ms"] / mean["p99_ms"], 2) if mean["p99_ms"] else 0.0
            print_page(page)
        return {
            "name": name,
            "kind": kind,
            "reference": {"before": before, "after": after, "mean": mean},
            "pages": measured,
        }

    def filing(self) -> dict | None:
        from bench import filing_step

        if self.args.filings <= 0 or (self.args.pages and not re.search(self.args.pages, "filing")):
            return None
        citizens = self.data.people["filing_citizens"]
        portal = filing_step.portal_filing(
            self.portal.base_url,
            citizens,
            per_citizen=self.args.filings,
            concurrency=self.args.connections,
            media_root=self.var / "media",
        )
        # The same unit of work on both sides: the portal's timed part is one 1 MB upload and the
        # submission per dossier, the reference's one stored upload.
        bare = filing_step.reference_uploads(
            self.reference.base_url,
            uploads=portal["filed_count"] or len(citizens) * self.args.filings,
            concurrency=self.args.connections,
            folder=self.var / "reference-uploads",
        )
        reference_rate = bare["uploads_per_second"]
        ratio = round(portal["rate"] / reference_rate, 3) if reference_rate else 0.0
        lost = portal["files_missing"] + portal["files_duplicated"] + portal["files_damaged"]
        if portal["server_errors"] or portal["errors"] or lost:
            self.failures.append(
                f"filing: {portal['server_errors']} server errors, {len(portal['errors'])} failed, {lost} files lost, "
                "duplicated or damaged"
            )
        print(
            f"  filing (last 1 MB upload + submit): {portal['rate']} dossiers/s ({portal['filed_count']}/"
            f"{portal['expected']} filed, {portal['uploads']} timed uploads); bare upload view "
            f"{bare['uploads_per_second']} uploads/s -> {ratio:.2f}x",
            flush=True,
        )
        for error in portal["errors"][:5]:
            print(f"    filing error: {error}")
        return {"portal": portal, "reference": bare, "reference_rate": reference_rate, "ratio": ratio}


def print_page(page: dict) -> None:
    if page.get("rps") is None:
        print(f"  {page['name']:<42} FAILED (HTTP {page.get('status')})")
        return
    plan = page["plan"]
    verdict = "plan ok" if plan["ok"] else "PLAN: " + "; ".join(f for q in plan["flagged"] for f in q["flags"])[:200]
    top = plan["top"] or {}
    print(
        f"  {page['name']:<42} {page['rps']:>8} req/s  p50 {page['p50_ms']:>7} ms  p99 {page['p99_ms']:>7} ms  "
        f"{page['ratio_rps']:>6.2f}x ref  p99 {page['ratio_p99']:>5.1f}x  {plan['queries']} queries, slowest "
        f"{top.get('ms', 0)} ms  {verdict}",
        flush=True,
    )
    if page.get("non200"):
        print(f"    {page['non200']} responses other than 200 during load: {page['non200_statuses']}")


def _config_threads() -> str:
    """gunicorn.conf.py's own default, recorded with the results (it changed from 4 to 1 on 2026-12-01)."""
    import runpy

    return str(runpy.run_path(str(load.GUNICORN_CONF)).get("threads", 1)) if load.GUNICORN_CONF.exists() else "1"


def postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def main(argv=None) -> int:
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens when the output is a file
    load.ensure_wrk()
    var = configure_environment(args)
    started = time.perf_counter()
    print(
        f"Web benchmark: scales {args.scale_list}, worst case {args.worst:,}, {args.seconds} s a page, "
        f"{args.connections} connections, {args.workers} gunicorn workers; database {args.db}",
        flush=True,
    )
    reset_database(args.db)
    setup_django()
    from bench import pages as page_list
    from bench import plans, report

    run = Run(args, var)
    print(f"  people and fixtures: {run.data.prepare():.1f} s", flush=True)
    bench_agency = run.data.bench_agency
    run.cookies = page_list.write_cookie_files(
        var / "cookies", {**page_list.staff_users(bench_agency), "citizen": page_list.heavy_citizen(run.data.people)}
    )
    scales = []
    try:
        for n, target in enumerate(args.scale_list):
            generated = run.data.grow_to(target)
            print(f"  {target:,} realistic dossiers: generated in {generated['seconds']} s", flush=True)
            if n == 0:
                run.reference.start("/ping")
                run.portal.start("/healthz", headers={"X-Forwarded-Proto": "https"})
            pages = page_list.desk_pages(bench_agency) + page_list.other_pages(run.data.special)
            scale = run.measure_scale(f"{target:,}", "realistic", pages, bench_agency["agency_id"])
            scale.update(dossiers_target=target, generate=generated, counts=run.data.counts(), filing=run.filing())
            scales.append(scale)
        if args.worst > 0:
            generated = run.data.add_worst(args.worst)
            print(f"  worst case: generated in {generated['seconds']} s", flush=True)
            run.cookies.update(
                page_list.write_cookie_files(var / "cookies", page_list.staff_users(run.data.worst, "worst-"))
            )
            pages = page_list.desk_pages(run.data.worst, "worst-")
            scale = run.measure_scale(f"worst case ({args.worst:,} open)", "worst", pages, run.data.worst["agency_id"])
            scale.update(dossiers_target=args.worst, generate=generated, counts=run.data.counts())
            scales.append(scale)
    finally:
        run.portal.stop()
        run.reference.stop()
    lines = report.acceptance(scales)
    results = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": report.machine(),
        "postgresql": postgres_version(),
        "settings": {
            "connections": args.connections,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "workers": args.workers,
            "threads": os.environ.get("GUNICORN_THREADS") or _config_threads(),
            "gunicorn": "gunicorn.conf.py" if load.GUNICORN_CONF.exists() else "command-line flags",
            "scales": args.scale_list,
            "worst": args.worst,
            "filings_per_citizen": args.filings,
        },
        "plan_limits": {"sort_rows": plans.SORT_ROWS, "scan_rows": plans.SCAN_ROWS},
        "scales": scales,
        "acceptance": lines,
        "failures": run.failures,
        "plan_checks_passed": all(p.get("plan", {}).get("ok", False) for s in scales for p in s["pages"]),
        "all_pages_200": all(p.get("status") == 200 for s in scales for p in s["pages"]),
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    if args.out:
        out_dir = Path(args.out)
        report.RESULTS, report.DOC = out_dir, out_dir / "performance.md"
    path = report.write(results)
    report.write_doc(results)
    print("\nAcceptance (issue 9):")
    for line in lines:
        print(f"  {({True: 'PASS', False: 'FAIL', None: 'n/a'})[line['passed']]}  {line['line']}: {line['detail']}")
    for failure in run.failures:
        print(f"  FAILED: {failure}")
    print(f"Results: {path}  ({results['total_seconds']} s)")
    failed = bool(run.failures) or (args.strict and any(line["passed"] is False for line in lines))
    return 1 if failed and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
