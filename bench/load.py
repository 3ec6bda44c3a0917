"""Serving and loading for the web benchmark: gunicorn processes for the portal and the reference app
(same config file, same workers and threads), a check GET, and wrk runs with the session-rotating script."""

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
LUA = ROOT / "bench" / "rotate_sessions.lua"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"


def ensure_wrk() -> str:
    """wrk from Debian's package; installed with apt when missing (as .ci/run does for Chromium)."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        print("wrk is missing: installing the Debian package", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt, "update", "-qq"], check=False, env=env)
        subprocess.run([apt, "install", "-y", "-qq", "wrk"], check=False, env=env)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit(
            "wrk is required for the web benchmark: install it with `apt-get install -y wrk` (Debian package wrk)."
        )
    return found


class Server:
    """One gunicorn serving `app` on 127.0.0.1:`port`, started in its own process group."""

    def __init__(self, name: str, app: str, port: int, env: dict, workers: int, log_dir: Path):
        self.name, self.app, self.port, self.workers = name, app, port, workers
        self.env, self.log_path = env, log_dir / f"{name}.log"
        self.process = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        # Each server its own control socket: gunicorn's default path is one per user, shared by both.
        control = ["--control-socket", str(self.log_path.with_suffix(".ctl"))]
        if GUNICORN_CONF.exists():
            # The project's own config (workers, threads, keep-alive from the environment), as in production.
            return [gunicorn, "-c", str(GUNICORN_CONF), *control, self.app]
        return [gunicorn, "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}", *control, self.app]

    def start(self, ready_path: str, headers: dict | None = None, timeout: float = 90) -> None:
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": str(self.workers)}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited at start-up; see {self.log_path}:\n{self.tail()}")
            try:
                status, _, _ = get(self.base_url + ready_path, headers=headers or {}, timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"{self.name} did not answer {ready_path} within {timeout} s; see {self.log_path}")

    def tail(self, size: int = 3000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-size:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def get(url: str, *, headers: dict, timeout: float = 120) -> tuple[int, dict, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers={"X-Forwarded-Proto": "https", **headers})
        response = conn.getresponse()
        return response.status, dict(response.headers), response.read()
    finally:
        conn.close()


def wrk(
    url: str,
    *,
    cookie_file: Path | None,
    seconds: float,
    connections: int,
    threads: int = 2,
    rotate_address: bool = False,
) -> dict:
    """One wrk run; req/s and latencies from the script's JSON line."""
    args = [
        ensure_wrk(),
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "60s",
        "-s",
        str(LUA),
        url,
        "--",
        str(cookie_file or ""),
        "rotate-address" if rotate_address else "",
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 120, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result (exit {done.returncode}): {done.stdout[-1000:]} {done.stderr[-1000:]}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    duration = data["duration_us"] / 1e6
    errors = data["connect_errors"] + data["read_errors"] + data["write_errors"] + data["timeouts"]
    return {
        "requests": data["requests"],
        "seconds": round(duration, 2),
        "rps": round(data["requests"] / duration, 1) if duration else 0.0,
        "p50_ms": round(data["p50_us"] / 1000, 1),
        "p90_ms": round(data["p90_us"] / 1000, 1),
        "p99_ms": round(data["p99_us"] / 1000, 1),
        "max_ms": round(data["max_us"] / 1000, 1),
        "non200": data["non200"],
        "non200_statuses": sorted({int(s) for s in data["non200_statuses"].split()}),
        "socket_errors": errors,
        "timeouts": data["timeouts"],
    }
