"""Production: refuses to start without a secret key and allowed hosts, and turns on the
transport-security settings that `manage.py check --deploy` asks for."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import PAYMENT_SANDBOX_DEMO_SECRET, STORAGES, env

for required in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"):
    if not os.environ.get(required):
        raise ImproperlyConfigured(f"{required} must be set when DJANGO_ENV=production.")

SECRET_KEY = env("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters with 5 distinct ones.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DEBUG = False
# The demo accounts' published TOTP secret opens nothing here, even if demo data was loaded by force.
PORTAL_DEMO_TOTP_ALLOWED = False
# Nor does a certificate of the demo signing authority sign or validate anything.
SIGNING_ALLOW_DEMO = False
# No payment gateway unless PAYMENT_GATEWAYS names one; the sandbox only with a secret of its own.
PAYMENT_GATEWAYS = env.json("PAYMENT_GATEWAYS", default={})
PAYMENT_DEFAULT_GATEWAY = env("PAYMENT_DEFAULT_GATEWAY", default=next(iter(PAYMENT_GATEWAYS), ""))
if PAYMENT_DEFAULT_GATEWAY and PAYMENT_DEFAULT_GATEWAY not in PAYMENT_GATEWAYS:
    raise ImproperlyConfigured(f"PAYMENT_DEFAULT_GATEWAY {PAYMENT_DEFAULT_GATEWAY!r} is not in PAYMENT_GATEWAYS.")
PAYMENT_SANDBOX_SECRET = env("PAYMENT_SANDBOX_SECRET", default="")
if "portal.payments.gateways.SandboxGateway" in PAYMENT_GATEWAYS.values() and (
    len(PAYMENT_SANDBOX_SECRET) < 32 or PAYMENT_SANDBOX_SECRET == PAYMENT_SANDBOX_DEMO_SECRET
):
    raise ImproperlyConfigured(
        "The payment sandbox needs PAYMENT_SANDBOX_SECRET of 32 or more characters, not the demo one."
    )

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The documented deployment has one TLS proxy in front of gunicorn (docs/operations.md): the client's
# address is the last X-Forwarded-For entry. Set 0 where gunicorn faces clients directly.
PORTAL_TRUSTED_PROXIES = env.int("PORTAL_TRUSTED_PROXIES", default=1)
# Probes call the web process directly over plain HTTP; a redirect to HTTPS would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# __Host- cookies: HTTPS only, this host only (no Domain), whole site (Path=/): a sibling subdomain
# cannot set or overwrite them.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_NAME = "__Host-language"
LANGUAGE_COOKIE_SECURE = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
