"""gunicorn settings for production and for `make run` (the Procfile's web line), all from the
environment; docs/settings.md lists the variables. Run: gunicorn -c gunicorn.conf.py portal.wsgi"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cores() -> int:
    # The cores this process may run on (a container's or a taskset's share), not the host's.
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Processes, each with its own GIL and database connection per thread. 2 x cores + 1, capped: past
# that, more processes only add memory and, on SQLite, more writers queueing on the file lock.
workers = _int("GUNICORN_WORKERS", min(2 * _cores() + 1, 8))
# Threads per process (the gthread worker when above 1). The default is the sync worker: one request at a
# time per process, taken from the shared listen queue. A gthread worker keeps its keep-alive connections,
# and under load one process often holds most of them while the others idle: the web benchmark measured
# half the throughput on a page in about half its runs (docs/operations.md). Requests beyond workers x
# threads wait in the listen queue, in arrival order.
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
keepalive = _int("GUNICORN_KEEPALIVE", 5)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Recycle a worker after this many requests (0: never), jittered so they do not all restart at once.
# Equal workers reach the count together: a jitter of 200 had all three of the web benchmark's restart
# within two seconds, and with each one loading Django for 1.5-3 s no request was served in that time.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 2)
# Load the application once in the master and fork workers from it: a recycled worker is serving
# within milliseconds instead of importing Django again, and the workers share the loaded code's
# memory. New code then needs a restart of the service (or USR2), not HUP (docs/operations.md).
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() not in ("0", "false", "no", "off")
backlog = _int("GUNICORN_BACKLOG", 2048)
# Addresses whose X-Forwarded-* headers gunicorn trusts (the reverse proxy).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The reverse proxy already logs every request; an access log here is opt-in (to stdout).
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "").lower() in ("1", "true", "yes", "on") else None
errorlog = "-"  # stderr, next to Django's console log: the service manager collects both
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "portal-web"

# gunicorn's control socket (for gunicornc) defaults to one path per user that every instance on the
# host would take over from the one before; here it is opt-in, at a path of its own.
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if _control_socket:
    control_socket = _control_socket
else:
    control_socket_disable = True

# No "Server: gunicorn/<version>" banner: gunicorn has no setting for it, and names what it runs.
import gunicorn.http.wsgi  # noqa: E402

gunicorn.http.wsgi.SERVER = "portal"
