"""make bench-signing keeps working: a small run signs and validates its documents and writes its report."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_signing_benchmark_signs_validates_and_reports(tmp_path):
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_signing.py"), "--count", "3", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    (report,) = tmp_path.glob("signing-*.json")
    figures = json.loads(report.read_text())
    assert figures["documents"] == 3 and figures["invalid_after_signing"] == 0
    assert figures["sign"]["count"] == 3 and figures["sign"]["mean_ms"] > 0
