"""A web process is warm before it serves (portal/warmup.py, called by portal/wsgi.py): under
gunicorn's preload every worker, a recycled one too, is forked with the templates compiled, the URLs
resolved, the catalogues and the holiday calendars loaded, instead of doing it on its first page
(about a second). It must not touch the database: the master's connection would be the workers'."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, sys
import portal.wsgi  # warms the process
from django.template import engines
from django.template.loaders import app_directories, filesystem
from django.urls import get_resolver
from django.utils import translation
from django.utils.translation import trans_real

def no_disk(*args, **kwargs):
    raise AssertionError("a template was read from disk after the warm-up")

filesystem.Loader.get_contents = no_disk
app_directories.Loader.get_contents = no_disk
engine = engines["django"]
for name in ("base.html", "dossiers/desk/queue.html", "dossiers/desk/dossier.html", "portal/home.html"):
    engine.get_template(name)
print(json.dumps({
    "urls": get_resolver()._populated,
    "catalogues": sorted(trans_real._translations),
    "holidays": "holidays.countries" in sys.modules,
    "lazy_imports": "dossiers.services.desk" in sys.modules,
    "frozen": gc.get_freeze_count(),
    "young_threshold": gc.get_threshold()[0],
}))
"""


def test_the_wsgi_module_leaves_the_process_warm_without_a_database():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "vQ3-production-like-secret-key-for-the-warmup-test-0123456789XYZ",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Nothing listens there: a connection attempt would fail the import.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
        "REDIS_URL": "redis://127.0.0.1:9/0",
        "PORTAL_VAR_DIR": str(ROOT / "var"),
    }
    run = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr[-3000:]
    warm = json.loads(run.stdout.strip().splitlines()[-1])
    # The loaded objects are frozen out of the collector's full passes (a 79 ms pause each), and young
    # collections are rarer (portal.warmup._settle_collector).
    frozen, young = warm.pop("frozen"), warm.pop("young_threshold")
    assert frozen > 100_000 and young == 10_000
    assert warm == {"urls": True, "catalogues": ["en", "vi"], "holidays": True, "lazy_imports": True}
