"""The embedded-default filing bench (bench/bench_embedded.py) in its small CI size: a fresh SQLite
install served by the Procfile's commands, citizens filing through the real pages at once."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bench(tmp_path, *args):
    result = subprocess.run(
        [sys.executable, "bench/bench_embedded.py", "--results", str(tmp_path), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads((tmp_path / "embedded-latest.json").read_text())
    return result, report


def test_small_run_files_every_dossier_with_distinct_codes_and_no_5xx(tmp_path):
    result, report = bench(tmp_path, "--citizens", "8", "--per-citizen", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert report["ok"] and report["filed_count"] == report["distinct_codes"] == 16
    assert report["server_errors"] == 0 and report["errors"] == []
    # One document each: of the two required, the declaration is the e-form (not asked for online).
    assert report["files_checked"] == 16 and report["file_problems"] == []
    assert "gunicorn" in report["commands"]["web"] and "celery" in report["commands"]["worker"]
    assert "OK" in result.stdout


def test_each_failed_check_fails_the_run():
    """A lost filing, a duplicated code, a 5xx, an upload that did not stick or a missing file each
    make the run fail (main() then exits 1)."""
    from bench.bench_embedded import checks, summary

    good = {
        "expected": 4,
        "filed_count": 4,
        "distinct_codes": 4,
        "server_errors": 0,
        "uploads_not_stuck": 0,
        "file_problems": [],
        "errors": [],
    }
    assert all(checks(good).values())
    for change in (
        {"filed_count": 3, "distinct_codes": 3},
        {"distinct_codes": 3},
        {"server_errors": 1},
        {"uploads_not_stuck": 1},
        {"file_problems": ["X: missing"]},
        {"errors": [{"citizen": "c", "page": "start", "status": 500, "detail": "x"}]},
    ):
        assert not all(checks({**good, **change}).values()), change
    report = {
        **good,
        "server_errors": 1,
        "server": "procfile",
        "concurrency": 2,
        "per_citizen": 2,
        "pdf_bytes": 1024,
        "elapsed_seconds": 1,
        "dossiers_per_second": 4,
        "statuses": {"500": 1},
        "uploads": 8,
        "files_checked": 8,
        "database_is_locked_in_logs": 1,
        "latency": {},
    }
    report["checks"] = checks(report)
    report["ok"] = all(report["checks"].values())
    assert "FAILED: no_5xx" in summary(report)
