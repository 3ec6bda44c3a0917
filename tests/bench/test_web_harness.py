"""The web benchmark (bench/bench_web.py) in its small CI size: 10,000 dossiers, about two seconds a page,
no worst case, one filing per citizen. It checks that the harness keeps working end to end and that it
enforces what does not depend on timing: every page answers 200 and every page's plans pass. The ratios to
the reference are printed but not enforced here (two-second runs on shared cores are too noisy); `make
bench-web` measures them at full size."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[2]
PG = "postgres://postgres@127.0.0.1:5432"


def _postgres_ready() -> bool:
    try:
        import psycopg2

        psycopg2.connect(f"{PG}/postgres", connect_timeout=3).close()
        return True
    except Exception:  # noqa: BLE001  (any failure means: no PostgreSQL to run against)
        return False


@pytest.mark.postgres
def test_small_run_serves_every_page_and_passes_the_plan_checks(tmp_path):
    if not _postgres_ready():
        unavailable("the web benchmark needs PostgreSQL on 127.0.0.1:5432")
    if not shutil.which("wrk"):
        unavailable("the web benchmark needs wrk (apt-get install -y wrk)")
    env = {
        "BENCH_DOSSIERS": "10000",
        "BENCH_WORST": "0",
        "BENCH_SECONDS": "2",
        "BENCH_WARMUP": "1",
        "BENCH_FILINGS_PER_CITIZEN": "1",
        "BENCH_WEB_DB": "portal_bench_web_ci",
        "BENCH_WEB_PORT": "8621",
        "BENCH_WEB_VAR": str(tmp_path / "var"),
    }
    run = subprocess.run(
        [sys.executable, "bench/bench_web.py", "--out", str(tmp_path / "results")],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = run.stdout[-6000:] + run.stderr[-3000:]
    latest = tmp_path / "results" / "web-latest.json"
    assert latest.exists(), output
    results = json.loads(latest.read_text(encoding="utf-8"))
    (scale,) = results["scales"]
    pages = {p["name"]: p for p in scale["pages"]}
    assert scale["counts"]["dossiers"] >= 10000
    assert {"staff dossier page", "my dossiers", "form 01 (PDF)", "home", "desk officer next page"} <= set(pages)
    assert sum(1 for p in pages.values() if p["group"] == "desk") >= 10, sorted(pages)
    not_200 = {name: p.get("status") for name, p in pages.items() if p.get("status") != 200}
    assert not not_200, output
    assert all(p["plan"]["selects_explained"] > 0 or p["plan"]["queries"] == 0 for p in pages.values())
    assert all(p["rps"] > 0 for p in pages.values()), {n: p["rps"] for n, p in pages.items() if not p["rps"] > 0}
    assert scale["filing"]["portal"]["filed_count"] > 0, output
    assert (tmp_path / "results" / "performance.md").read_text(encoding="utf-8").startswith("# Performance")
    failed_plans = {
        name: [f for q in p["plan"]["flagged"] for f in q["flags"]] for name, p in pages.items() if not p["plan"]["ok"]
    }
    assert not failed_plans, failed_plans
    assert run.returncode == 0, output
