"""Issue 11, item 15: `PORT=8001 make run` serves there, and the links in mails and on Form 01 follow."""

import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("env", "bind", "base"),
    [
        ({"PORT": "8001"}, "127.0.0.1:8001", "http://127.0.0.1:8001"),
        ({}, "127.0.0.1:8000", "http://127.0.0.1:8000"),
        (
            {"PORT": "8002", "PORTAL_BASE_URL": "https://dichvucong.example.vn"},
            "127.0.0.1:8002",
            "https://dichvucong.example.vn",
        ),
    ],
)
def test_make_run_serves_on_the_port_it_is_given(env, bind, base):
    clean = {k: v for k, v in os.environ.items() if k not in ("PORT", "PORTAL_BASE_URL")}
    plan = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=True
    ).stdout
    start = next(line for line in plan.splitlines() if "honcho start" in line)
    assert f"GUNICORN_BIND={bind}" in start and f"PORTAL_BASE_URL={base}" in start
    assert f"PORTAL_BASE_URL={base}" in next(line for line in plan.splitlines() if "load_demo" in line)
