"""Profile one page in process against a benchmark database (after a `bench_web.py` run left it).

    .venv/bin/python bench/profile_page.py /desk/dossiers/<code>/ --user 38 --runs 200
    .venv/bin/python bench/profile_page.py / --top 30 --sort tottime
    .venv/bin/python bench/profile_page.py /desk/ --user 5 --queries

It logs the user in as the benchmark does (a session with the second factor passed), asks the page
`--runs` times through Django's test client under production settings, and prints the time per
request, then either the profile's top functions or the SQL of one request. Times here are the
page's own Python and database work, without gunicorn and the network; use them to see where a page
spends its time, and `bench_web.py` for the figures that count."""

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(db: str) -> None:
    """Production settings pointed at the benchmark database, and Django set up."""
    pg = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    os.environ.update(
        {
            "DATABASE_URL": f"{pg}/{db}",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", secrets.token_urlsafe(64)),
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "REDIS_URL": os.environ.get("BENCH_WEB_REDIS", "redis://127.0.0.1:6379/10"),
            "REDIS_CACHE_URL": os.environ.get("BENCH_WEB_REDIS", "redis://127.0.0.1:6379/10"),
            "PORTAL_VAR_DIR": os.environ.get("PORTAL_VAR_DIR", str(ROOT / "var" / db.replace("portal_", ""))),
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--user", type=int, help="primary key of the user to log in as (anonymous without)")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--db", default=os.environ.get("BENCH_WEB_DB", "portal_bench_web"))
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--time-only", action="store_true")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one request")
    parser.add_argument("--html", action="store_true", help="print the page")
    parser.add_argument("--dump", help="also write the raw profile to this file (pstats)")
    parser.add_argument("--callees", help="also print what the functions matching this regular expression call")
    args = parser.parse_args(argv)

    configure(args.db)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import session_cookie_lines

    client = Client(headers={"X-Forwarded-Proto": "https"})
    if args.user:
        name, _, key = session_cookie_lines([args.user])[0].partition("=")
        client.cookies[settings.SESSION_COOKIE_NAME] = key

    def ask():
        response = client.get(args.path)
        if response.status_code != 200:
            raise SystemExit(f"{args.path} answered {response.status_code} {response.get('Location', '')}")
        return response

    for _ in range(5):
        ask()
    if args.html:
        print(ask().content.decode())
        return 0
    if args.queries:
        with CaptureQueriesContext(connection) as captured:
            ask()
        for query in captured.captured_queries:
            print(f"{query['time']}s  {query['sql']}\n")
        print(f"{len(captured.captured_queries)} queries")
        return 0
    # This machine is noisy: the best of ten batches says more of a change than one long loop.
    batch = max(1, args.runs // 10)
    walls, cpus = [], []
    for _ in range(10):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(batch):
            ask()
        walls.append((time.perf_counter() - wall) / batch * 1000)
        cpus.append((time.process_time() - cpu) / batch * 1000)
    print(
        f"{args.path}: {min(walls):.2f} ms a request (best of 10 batches of {batch}; median {sorted(walls)[5]:.2f}),"
        f" {min(cpus):.2f} ms of it in this process"
    )
    if args.time_only:
        return 0
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.runs):
        ask()
    profile.disable()
    if args.dump:
        profile.dump_stats(args.dump)
    stats = pstats.Stats(profile).sort_stats(args.sort)
    stats.print_stats(args.top)
    if args.callees:
        stats.print_callees(args.callees)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
