"""Profile filing's timed part in process against a benchmark database: the last 1 MB upload and the
submission, as bench_web.py times them (bench/filing_step.py), through Django's test client.

    .venv/bin/python bench/profile_filing.py --runs 40
    .venv/bin/python bench/profile_filing.py --runs 40 --sort tottime --top 30

It logs a benchmark citizen in, fills in `--runs` drafts through the pages (untimed, as the benchmark
does), then uploads the last file to each and submits it, timing each request and profiling the lot.
Times are the requests' own Python and database work, without gunicorn and the network."""

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class ClientBrowser:
    """bench.filing_client.Browser's two calls, answered by Django's test client in this process."""

    def __init__(self, client, stats):
        self.client, self.stats = client, stats

    def get(self, path, *, page, expect=200):
        from bench.filing_client import FlowError

        response = self.client.get(path)
        self.stats.record(page, response.status_code, 0)
        if response.status_code != expect:
            raise FlowError(page, response.status_code, f"{path} -> {response.get('Location')}")
        return response.content.decode()

    def post(self, path, pairs, *, page, file=None):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {}
        for name, value in pairs:
            data.setdefault(name, []).append(value)
        if file:
            data[file[0]] = SimpleUploadedFile(file[1], file[2], content_type="application/pdf")
        started = time.perf_counter()
        response = self.client.post(path, data)
        self.stats.record(page, response.status_code, time.perf_counter() - started)
        if response.status_code in (301, 302, 303):
            return response.status_code, response["Location"]
        return response.status_code, response.content.decode()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--db", default="portal_bench_web")
    args = parser.parse_args(argv)

    from bench.profile_page import configure

    configure(args.db)
    from django.test import Client

    from bench import filing_client, filing_step
    from portal.models import User

    citizen = User.objects.filter(email__startswith="bench.congdan").order_by("pk").first()
    if citizen is None:
        raise SystemExit("no benchmark citizen: run bench/bench_web.py first")
    client = Client(headers={"X-Forwarded-Proto": "https"})
    client.force_login(citizen, backend="portal.auth_backends.IdentifierBackend")
    stats = filing_client.Stats()
    browser = ClientBrowser(client, stats)
    pdf = filing_client.make_pdf(filing_step.PDF_BYTES)
    drafts = [filing_client.prepare(browser, filing_client.DEFAULT_PROCEDURE, pdf) for _ in range(args.runs + 3)]
    for draft in drafts[:3]:  # warm up
        filing_client.finish(browser, draft, pdf, check_upload=False)
    stats.latencies.clear()
    profile = cProfile.Profile()
    profile.enable()
    for draft in drafts[3:]:
        filing_client.finish(browser, draft, pdf, check_upload=False)
    profile.disable()
    for page in ("upload", "submit"):
        times = sorted(stats.latencies[page])
        print(f"{page}: median {times[len(times) // 2] * 1000:.1f} ms, best {times[0] * 1000:.1f} ms (profiled)")
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
