"""Settings shared by every environment. Every value that varies comes from the environment;
docs/settings.md lists them with their defaults."""

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
env.read_env(BASE_DIR / ".env") if (BASE_DIR / ".env").exists() else None
# Local state of the embedded default (SQLite, broker folders, static, media): a benchmark or a
# second instance points this elsewhere so it shares nothing with `make run`'s var/.
VAR_DIR = Path(env("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

DJANGO_ENV = env("DJANGO_ENV", default="development")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# A development-only key: production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_ratelimit",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "oauth2_provider",
    "knox",
    "django_filters",
    "drf_spectacular",
    "portal",
    "procedures",
    "dossiers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.SecondFactorMiddleware",  # django_otp's OTPMiddleware
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "portal.middleware.SessionLimitsMiddleware",
    "portal.middleware.TwoFactorMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE avoids lock upgrades
    # failing mid-transaction when two writers meet. Writers wait up to the timeout in SQLite's
    # polling busy handler, which is not first-come first-served: that holds only while the web
    # server bounds the requests running at once (gunicorn.conf.py). runserver's thread per
    # connection lost filings to "database is locked" at 64 citizens (docs/operations.md).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The look-ups every page makes are PREPAREd once per connection (portal/prepared.py); false behind a
# pooler that hands a client another server connection per transaction (PgBouncer's transaction mode).
PORTAL_DB_PREPARE = env.bool("PORTAL_DB_PREPARE", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
REDIS_LAST_DATABASE = 15


def redis_url_other_database(url: str) -> str:
    """The same Redis server on the next database number (n + 1), or the one before for the last
    database (Redis has 0..15): the cache then never shares a database with the broker, so clearing
    the cache cannot drop queued tasks, and broker keys never crowd the cache."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    in_query = parts.scheme == "unix" or "db" in query
    current = int(query.get("db", 0) if in_query else (parts.path.strip("/") or 0))
    other = current - 1 if current >= REDIS_LAST_DATABASE else current + 1
    path, query_text = (parts.path, urlencode({**query, "db": other})) if in_query else (f"/{other}", parts.query)
    # Joined by hand: urlunsplit would turn unix:///run/redis.sock into unix:/run/redis.sock.
    return f"{parts.scheme}://{parts.netloc}{path}" + (f"?{query_text}" if query_text else "")


# The cache's own Redis URL; by default REDIS_URL's server on another database (see above).
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default="") or (redis_url_other_database(REDIS_URL) if REDIS_URL else "")
if REDIS_CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_CACHE_URL}}
    # Sessions read from the shared cache (written through to the database): one query less on every
    # page. Not with a per-process cache, where a logout in one process would not reach the others.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # How often a worker looks for tasks whose worker died (unacknowledged past the visibility
    # timeout) and puts them back in the queue: every interval x throttle seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=6),
    }
else:
    BROKER_DIR = VAR_DIR / "broker"
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
# Longest task is far below this; a task not acknowledged within it is redelivered (acks_late).
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = CELERY_VISIBILITY_TIMEOUT

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.auth_backends.IdentifierBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "portal.auth_backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Lock the account, not the address: a commune office puts many citizens behind one NAT address,
# and locking it would shut the whole office out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# models.W040: SQLite makes an index without its INCLUDE columns (a covering index of PostgreSQL's).
SILENCED_SYSTEM_CHECKS.append("models.W040")

# --- Rate limits per client address (django-ratelimit) --------------------------------------
# The address is portal.client_ip.client_ip: behind PORTAL_TRUSTED_PROXIES proxies, taken from
# X-Forwarded-For that many hops from the right; never a client-written entry.
PORTAL_TRUSTED_PROXIES = env.int("PORTAL_TRUSTED_PROXIES", default=0)
RATELIMIT_IP_META_KEY = "portal.client_ip.client_ip"
RATELIMIT_VIEW = "portal.views.rate_limited"
PORTAL_RATE_LOGIN = env("PORTAL_RATE_LOGIN", default="10/m")
PORTAL_RATE_REGISTER = env("PORTAL_RATE_REGISTER", default="5/h")
PORTAL_RATE_PASSWORD_RESET = env("PORTAL_RATE_PASSWORD_RESET", default="5/h")
PORTAL_RATE_TRACK = env("PORTAL_RATE_TRACK", default="20/m")
PORTAL_RATE_VERIFY = env("PORTAL_RATE_VERIFY", default="10/m")
# django-ratelimit warns about every cache it was not tested with, Django's own RedisCache included;
# that one counts with Redis's atomic INCR, shared by every process.
SILENCED_SYSTEM_CHECKS.append("django_ratelimit.W001")
if not REDIS_CACHE_URL:
    # The embedded default counts in each process's memory: weaker (per process), still a limit.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
# One reset mail per account in this time, however many requests name it.
PORTAL_CONTACT_CHANGE_HOURS = env.int("PORTAL_CONTACT_CHANGE_HOURS", default=24)
PORTAL_RESET_MAIL_SECONDS = env.int("PORTAL_RESET_MAIL_SECONDS", default=900)
# An online registration's activation link works once, for this long (portal.registration).
PORTAL_ACTIVATION_HOURS = env.int("PORTAL_ACTIVATION_HOURS", default=48)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Citizens' documents: never under STATIC_ROOT and never served directly.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# --- Digital signatures (portal/signing.py, docs/settings.md) ---------------------------------------
# Each agency's PKCS#12 key is <SIGNING_KEYS_DIR>/<agency code>.p12, its password in the environment.
SIGNING_KEYS_DIR = env.path("SIGNING_KEYS_DIR", default=str(VAR_DIR / "signing"))
SIGNING_TRUST_ROOTS = env.list("SIGNING_TRUST_ROOTS", default=[])
SIGNING_TSA_URL = env("SIGNING_TSA_URL", default="")
# The demo authority's certificates (make run); production settings refuse them.
SIGNING_ALLOW_DEMO = env.bool("SIGNING_ALLOW_DEMO", default=True)
# Sign in the request that issues a document (a local key, a quarter of a second); with a timestamp
# authority the network round trip goes to a Celery task, and the document says "being signed".
SIGNING_IN_TASK = env.bool("SIGNING_IN_TASK", default=bool(SIGNING_TSA_URL))
VERIFY_MAX_MB = env.int("VERIFY_MAX_MB", default=20)

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A backend class by name wins over EMAIL_URL (tests and special transports use it).
EMAIL_BACKEND = env("EMAIL_BACKEND", default=EMAIL_CONFIG["EMAIL_BACKEND"])
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cổng Dịch vụ công <no-reply@dichvucong.example.vn>")

# --- Security headers -----------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# A session ends after this long idle (staff sooner) and after PORTAL_SESSION_MAX_SECONDS however
# active (portal.middleware.SessionLimitsMiddleware); Django's 14 days were far too long.
PORTAL_IDLE_STAFF_SECONDS = env.int("PORTAL_IDLE_STAFF_SECONDS", default=30 * 60)
PORTAL_IDLE_CITIZEN_SECONDS = env.int("PORTAL_IDLE_CITIZEN_SECONDS", default=60 * 60)
PORTAL_SESSION_MAX_SECONDS = env.int("PORTAL_SESSION_MAX_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = PORTAL_SESSION_MAX_SECONDS
# --- Staff two-factor login (django-otp) ----------------------------------------------------
# Every staff account and superuser gives a code from an authenticator app (TOTP) or a recovery
# code after the password (portal.middleware.TwoFactorMiddleware, portal.two_factor).
PORTAL_RATE_TWO_FACTOR = env("PORTAL_RATE_TWO_FACTOR", default="10/m")
PORTAL_RECOVERY_CODES = 10
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Cổng Dịch vụ công")
# The demo accounts' devices share one published secret (portal.demo.data.DEMO_TOTP_SECRET): never
# accepted where this is off, as production turns it off.
PORTAL_DEMO_TOTP_ALLOWED = env.bool("PORTAL_DEMO_TOTP_ALLOWED", default=True)
PORTAL_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), browsing-topics=()"
)
CSRF_COOKIE_HTTPONLY = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- The portal -----------------------------------------------------------------------------
PORTAL_NAME = _("Cổng Dịch vụ công tỉnh Hòa Bình")
PORTAL_HOTLINE = env("PORTAL_HOTLINE", default="1900 1234")
PORTAL_ADDRESS = env("PORTAL_ADDRESS", default="Số 1 đường Trần Hưng Đạo, phường Phương Lâm, tỉnh Hòa Bình")
PORTAL_SUPPORT_EMAIL = env("PORTAL_SUPPORT_EMAIL", default="hotro@dichvucong.example.vn")
# Office hours and the paper cut-off used when an agency does not set its own.
PORTAL_DEFAULT_OFFICE_HOURS = {
    "morning": ("07:30", "11:30"),
    "afternoon": ("13:30", "17:00"),
    "cutoff": "15:00",
}
PORTAL_HOLIDAY_COUNTRY = env("PORTAL_HOLIDAY_COUNTRY", default="VN")
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
PORTAL_MAIL_DOMAIN = env("PORTAL_MAIL_DOMAIN", default="dichvucong.example.vn")
# Notifications: the SMS backend class, how long a worker holds a delivery, retention of in-app messages.
SMS_BACKEND = env("SMS_BACKEND", default="portal.sms.DatabaseSmsBackend")
NOTIFICATION_LEASE_SECONDS = env.int("NOTIFICATION_LEASE_SECONDS", default=120)
# The status sync to the national portal (portal/national_sync.py): the recording backend keeps each
# payload for the admin; HttpBackend pushes to NATIONAL_SYNC_URL; empty turns the sync off.
# Hosts a webhook may be posted to although they resolve to a private or loopback address (a partner
# on the province's own network); any other webhook must go to a public address (portal/webhooks.py).
WEBHOOK_PRIVATE_HOSTS = env.list("WEBHOOK_PRIVATE_HOSTS", default=[])
NATIONAL_SYNC_BACKEND = env("NATIONAL_SYNC_BACKEND", default="portal.national_sync.RecordingBackend")
NATIONAL_SYNC_URL = env("NATIONAL_SYNC_URL", default="")
NATIONAL_SYNC_TOKEN = env("NATIONAL_SYNC_TOKEN", default="")
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=10)
NOTIFICATION_RETENTION_DAYS = env.int("NOTIFICATION_RETENTION_DAYS", default=180)
# Single events are delivered together: notifications committed within one window wake one task.
NOTIFICATION_WINDOW_SECONDS = env.float("NOTIFICATION_WINDOW_SECONDS", default=0.25)
# How long filter lists and the "due soon" limit stay in the cache (portal/cache.py).
PORTAL_REFERENCE_SECONDS = env.int("PORTAL_REFERENCE_SECONDS", default=60)
# Filing: drafts untouched this long are deleted (owners are warned on their list a week before).
DOSSIER_DRAFT_EXPIRY_DAYS = env.int("DOSSIER_DRAFT_EXPIRY_DAYS", default=30)
DOSSIER_DRAFT_WARNING_DAYS = env.int("DOSSIER_DRAFT_WARNING_DAYS", default=7)
# Upload limits: a component's own limit applies per file; this one caps a whole dossier.
DOSSIER_MAX_TOTAL_MB = env.int("DOSSIER_MAX_TOTAL_MB", default=50)
DOSSIER_MAX_FILES_PER_COMPONENT = env.int("DOSSIER_MAX_FILES_PER_COMPONENT", default=5)
# Uploads are scanned for malware by this class (portal/scanning.py): NoScanner, or ClamdScanner
# with a ClamAV daemon at PORTAL_CLAMD_ADDRESS.
PORTAL_MALWARE_SCANNER = env("PORTAL_MALWARE_SCANNER", default="portal.scanning.NoScanner")
PORTAL_CLAMD_ADDRESS = env("PORTAL_CLAMD_ADDRESS", default="127.0.0.1:3310")
PORTAL_CLAMD_TIMEOUT_SECONDS = env.float("PORTAL_CLAMD_TIMEOUT_SECONDS", default=30.0)
HEALTHZ_TIMEOUT_SECONDS = env.float("HEALTHZ_TIMEOUT_SECONDS", default=2.0)
HEALTHZ_CACHE_SECONDS = env.float("HEALTHZ_CACHE_SECONDS", default=5.0)
PORTAL_HEALTH_TOKEN = env("PORTAL_HEALTH_TOKEN", default="")
# --- Payments (portal/payments/, docs/payments.md) -----------------------------------------------
# Gateways by name -> class; a JSON object in the environment replaces the list.
PAYMENT_GATEWAYS = env.json("PAYMENT_GATEWAYS", default={"sandbox": "portal.payments.gateways.SandboxGateway"})
PAYMENT_DEFAULT_GATEWAY = env("PAYMENT_DEFAULT_GATEWAY", default="sandbox")
# The sandbox's notices are signed with this; the demo secret is published here, so production
# settings refuse it (and so does the sandbox when DJANGO_ENV is production).
PAYMENT_SANDBOX_DEMO_SECRET = "demo-sandbox-secret-published-in-the-source"  # noqa: S105
PAYMENT_SANDBOX_SECRET = env("PAYMENT_SANDBOX_SECRET", default=PAYMENT_SANDBOX_DEMO_SECRET)
# An online order not paid within this many minutes expires.
PAYMENT_ORDER_MINUTES = env.int("PAYMENT_ORDER_MINUTES", default=15)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# The API (portal/api, each app's api/): DRF with the session for now, JSON only (the reference at
# /api/docs/ replaces DRF's browsable pages, whose inline scripts the CSP refuses), keyset pages.
REST_FRAMEWORK = {
    # A person's session first (so the anonymous get 403, as the pages), then a partner's bearer token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "portal.api.tokens.PersonalTokenAuthentication",
        "portal.api.partners.PartnerAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.KeysetPagination",
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# A citizen's app tokens (django-rest-knox: stored hashed, "Authorization: Token <token>"), made on
# the "Ứng dụng di động" page; a few per person, each for 90 days.
REST_KNOX = {"TOKEN_TTL": dt.timedelta(days=90), "AUTH_HEADER_PREFIX": "Token", "AUTO_REFRESH": False}
PERSONAL_TOKENS_PER_USER = 5
# Partner systems: OAuth2 client credentials only (portal/api/partners.py, docs/api.md).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES": {
        "catalog:read": "Catalog read",
        "dossiers:read": "Dossier read (the client's agencies)",
        "status:sync": "Status sync",
        "exchange": "Inter-agency exchange",
    },
    "OAUTH2_VALIDATOR_CLASS": "portal.api.partners.PartnerValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 0,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "PKCE_REQUIRED": True,
    # RFC 9700 (OAuth 2.0 Security BCP): every compliant behaviour (tokens stored hashed, none in a
    # query string, no implicit or password grant, S256 only, refresh replay detected).
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng Dịch vụ công — API",
    "DESCRIPTION": "Danh mục thủ tục hành chính, hồ sơ của người dân và hàng đợi của cán bộ. "
    "Public-service portal: the procedure catalog, citizens' dossiers and the desk's queues.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # portal/converters.py: an id in a path is a whole number of at most 18 digits.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}},
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "ProcedureLevelEnum": "procedures.constants.Level",
        "AgencyLevelEnum": "portal.constants.AgencyLevel",
        "StageEnum": "dossiers.constants.Stage",
        "ScoreEnum": "dossiers.models.ratings.SCORE",
    },
}
