"""Only what a Django page needs to read rows and render a template: no middleware, no sessions, no auth.
It reads the portal's own database (DATABASE_URL) with the same persistent connections."""

import os
from pathlib import Path

import environ

env = environ.Env()
HERE = Path(__file__).resolve().parent
SECRET_KEY = env("DJANGO_SECRET_KEY", default="bench-reference-only-" + "x" * 40)
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.reference.urls"
WSGI_APPLICATION = "bench.reference.wsgi.application"
INSTALLED_APPS = []
MIDDLEWARE = []
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [HERE / "templates"]}]
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Uploads: the same in-memory threshold as the portal, stored under the benchmark's own folder.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_ROOT = Path(os.environ.get("BENCH_REFERENCE_UPLOADS", HERE.parents[1] / "var" / "bench-reference-uploads"))
UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024
