"""Settings for the test suite (pyproject.toml): the development settings with a fast password hasher.
A PBKDF2 hash costs about a second on a 2-core machine and the suite makes hundreds (every factory user,
every demo load, every login); production keeps Django's strong default (tests/portal/test_test_settings.py)."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The webhook tests' receivers listen on this machine (tests/api/receiver.py).
WEBHOOK_PRIVATE_HOSTS = ["127.0.0.1"]

# Demo keys a test's load_demo makes go to a folder of this run, not the developer's var/signing.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

SIGNING_KEYS_DIR = Path(tempfile.mkdtemp(prefix="portal-test-keys-"))
