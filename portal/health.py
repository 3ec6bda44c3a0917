"""Health of the web process and of what it runs on.

Liveness (`/healthz`) says only that this process answers: no database, broker or worker round trip,
so a slow broker never gets healthy web processes restarted. Readiness (`/readyz`) checks the
database, the broker and that some worker is alive. Its public answer is only ok / not ok; the
report of each part (which names no host either) is for the health token or a superuser."""

import hmac

from django.conf import settings
from django.db import connection

from portal.cache import reference
from portal.celery import app as celery_app
from portal.selectors import last_worker_heartbeat

HEARTBEAT_FRESH_SECONDS = 120


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any failure means "down"; the reason goes in the report
        return {"ok": False, "error": exc.__class__.__name__}


def check_broker() -> dict:
    transport = celery_app.conf.broker_url.split(":", 1)[0]
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.HEALTHZ_TIMEOUT_SECONDS)
        return {"ok": True, "transport": transport}
    except Exception as exc:
        return {"ok": False, "transport": transport, "error": exc.__class__.__name__}


def check_worker(*, broker_ok: bool) -> dict:
    """A worker answers a broadcast ping where the transport supports it; otherwise (or as well) a
    heartbeat task run by a worker within the last two minutes counts."""
    if broker_ok:
        try:
            replies = celery_app.control.ping(timeout=settings.HEALTHZ_TIMEOUT_SECONDS / 2) or []
        except Exception:
            replies = []
        if replies:
            return {"ok": True, "via": "ping", "workers": sum(len(reply) for reply in replies)}
    try:
        beat = last_worker_heartbeat(within_seconds=HEARTBEAT_FRESH_SECONDS)
    except Exception:
        beat = None
    if beat:
        return {"ok": True, "via": "heartbeat", "seen_at": beat.seen_at.isoformat()}
    return {"ok": False, "error": "no worker answered"}


def liveness() -> dict:
    return {"ok": True}


def readiness() -> dict:
    database = check_database()
    broker = check_broker()
    worker = check_worker(broker_ok=broker["ok"])
    return {
        "ok": database["ok"] and broker["ok"] and worker["ok"],
        "database": database,
        "broker": broker,
        "worker": worker,
    }


def readiness_kept() -> dict:
    """The readiness report, checked at most once per HEALTHZ_CACHE_SECONDS in this process."""
    return reference("health:readiness", readiness, seconds=settings.HEALTHZ_CACHE_SECONDS)


def may_see_details(request) -> bool:
    """The parts' report: for a monitor sending `Authorization: Bearer <PORTAL_HEALTH_TOKEN>` (when the
    setting is set) or a logged-in superuser."""
    token = settings.PORTAL_HEALTH_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].encode(), token.encode()):
        return True
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)
