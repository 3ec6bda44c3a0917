"""The embedded default (no Redis: kombu's filesystem broker, a local-memory cache in each process) for
the worker and producer subprocesses of a test. The broker folders live under EMBEDDED_BROKER_DIR so the
test shares nothing with the queue under var/ that `make run`'s worker reads."""

import os
from pathlib import Path

from portal.settings import *  # noqa: F403

assert not REDIS_URL, "start the subprocess without REDIS_URL"  # noqa: F405
_broker = Path(os.environ["EMBEDDED_BROKER_DIR"])
for _sub in ("queue", "processed", "control"):
    (_broker / _sub).mkdir(parents=True, exist_ok=True)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "data_folder_in": str(_broker / "queue"),
    "data_folder_out": str(_broker / "queue"),
    "processed_folder": str(_broker / "processed"),
    "control_folder": str(_broker / "control"),
}
