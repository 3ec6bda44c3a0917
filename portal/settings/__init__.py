"""Settings entry point: development defaults, hardened when DJANGO_ENV=production."""

import os

if os.environ.get("DJANGO_ENV", "development") == "production":
    from .production import *  # noqa: F403
else:
    from .base import *  # noqa: F403
