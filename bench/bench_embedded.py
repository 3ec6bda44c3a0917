"""Concurrent citizens against `make run`'s embedded default (make bench-embedded).

Builds a fresh embedded install in a temporary folder (SQLite in WAL mode, Celery's filesystem
broker, no Redis), loads the demo and registers the bench citizens, starts the Procfile's web,
worker and beat commands as `make run` does, then has every citizen file dossiers through the real
pages at once (bench/filing_client.py). Checks: all filed, distinct codes, no 5xx, every uploaded
file stored with its size and checksum. Prints a summary, writes bench/results/embedded-*.json and
exits non-zero when a check fails.

    .venv/bin/python bench/bench_embedded.py                              # 64 citizens x 3 dossiers
    .venv/bin/python bench/bench_embedded.py --citizens 8 --per-citizen 2  # the CI size
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.filing_client import DEFAULT_PROCEDURE, file_dossiers, make_pdf  # noqa: E402

PASSWORD = "Bench@2026-filing"  # noqa: S105 (throwaway accounts of a temporary install)
# Variables of the caller that would point the install at shared services or other settings.
INHERITED_OUT = (
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_URL",
    "DJANGO_ENV",
    "DJANGO_SETTINGS_MODULE",
    "MEDIA_ROOT",
    "PORTAL_VAR_DIR",
    "GUNICORN_BIND",
    "EMAIL_URL",
    "EMAIL_BACKEND",
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citizens", type=int, default=64, help="citizens filing at once (default 64)")
    parser.add_argument("--per-citizen", type=int, default=3, help="dossiers each citizen files (default 3)")
    parser.add_argument("--pdf-kb", type=int, default=1024, help="size of each uploaded PDF (default 1024 KiB)")
    parser.add_argument("--procedure", default=DEFAULT_PROCEDURE)
    parser.add_argument(
        "--runserver",
        action="store_true",
        help="serve with Django's development server instead of the Procfile's web line",
    )
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results", help="folder for the JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary install (its path is printed)")
    return parser.parse_args(argv)


def install_env(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in INHERITED_OUT}
    env.update(
        {
            "PORTAL_VAR_DIR": str(var_dir),
            "DATABASE_URL": f"sqlite:///{var_dir / 'portal.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "EMAIL_URL": "dummymail://",
            "PYTHONUNBUFFERED": "1",
            # Every bench citizen logs in from 127.0.0.1: the per-address login limit would refuse
            # the 11th of them within a minute (the limit is tested in tests/security).
            "PORTAL_RATE_LOGIN": "100000/m",
        }
    )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(citizens: int) -> list[tuple[str, str]]:
    """Migrate, collect static files, load the demo and register the citizens, in this process
    (the environment already points at the temporary install)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from portal.services import user_register

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo", "--quiet-logins", stdout=open(os.devnull, "w"))  # noqa: SIM115
    logins = []
    for n in range(citizens):
        user = user_register(
            full_name=f"Công dân Thử {n:03d}",
            national_id=f"0172{n:08d}",
            phone=f"09{n:08d}",
            email=f"bench{n:03d}@example.vn",
            password=PASSWORD,
        )
        logins.append((user.email, PASSWORD))
    connections.close_all()  # hold no SQLite handle while the load runs
    return logins


def procfile_commands(var_dir: Path, port: int, runserver: bool) -> dict[str, list[str]]:
    """The Procfile's lines as `make run` starts them, with var/ moved to the temporary install."""
    commands = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if command.strip():
            commands[name.strip()] = [arg.replace("var/", f"{var_dir}/") for arg in shlex.split(command)]
    if runserver:
        commands["web"] = [".venv/bin/python", "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    return commands


def start(commands: dict[str, list[str]], env: dict, logs: Path) -> dict[str, subprocess.Popen]:
    processes = {}
    for name, argv in commands.items():
        log = open(logs / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        processes[name] = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    return processes


def stop(processes: dict[str, subprocess.Popen]) -> None:
    """SIGTERM to each process group we started (gunicorn's and celery's children go with it)."""
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_up(base_url: str, processes: dict, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode} before the load started")
        try:
            with urllib.request.urlopen(base_url + "/accounts/login/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{base_url} did not answer within {timeout:.0f} s")


def stored_files(codes: list[str], pdf: bytes) -> dict:
    """Every filed dossier has a current file of the right size and checksum for each required
    component, and the file is in storage."""
    from django.db import connections

    from dossiers.models import Dossier

    digest, problems, checked = hashlib.sha256(pdf).hexdigest(), [], 0
    dossiers = (
        Dossier.objects.filter(code__in=codes)
        .select_related("version")
        .prefetch_related("attachments", "version__components")
    )
    found = 0
    for dossier in dossiers:
        found += 1
        current = {a.component_id: a for a in dossier.attachments.all() if a.is_current}
        for component in dossier.version.components.all():
            if not component.required or component.replaced_by_eform:  # not asked for online
                continue
            checked += 1
            attachment = current.get(component.id)
            if attachment is None:
                problems.append(f"{dossier.code}: no file for component {component.id}")
            elif not attachment.file.storage.exists(attachment.file.name):
                problems.append(f"{dossier.code}: {attachment.file.name} missing from storage")
            elif attachment.size != len(pdf) or attachment.sha256 != digest:
                problems.append(f"{dossier.code}: {attachment.file.name} stored with other size or checksum")
            else:
                with attachment.file.open("rb") as handle:
                    if hashlib.sha256(handle.read()).hexdigest() != digest:
                        problems.append(f"{dossier.code}: {attachment.file.name} content differs")
    connections.close_all()
    if found != len(set(codes)):
        problems.append(f"{len(set(codes)) - found} filed codes not found in the database")
    return {"files_checked": checked, "file_problems": problems}


def checks(result: dict) -> dict[str, bool]:
    return {
        "all_filed": result["filed_count"] == result["expected"],
        "distinct_codes": result["distinct_codes"] == result["filed_count"],
        "no_5xx": result["server_errors"] == 0,
        "uploads_stuck": result["uploads_not_stuck"] == 0,
        "files_stored": not result["file_problems"],
        "no_errors": not result["errors"],
    }


def count_in_logs(logs: Path, needle: str) -> int:
    return sum(path.read_text(errors="replace").count(needle) for path in logs.glob("*.log"))


def run(args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="bench-embedded-"))
    var_dir, logs = workdir / "var", workdir / "logs"
    logs.mkdir(parents=True)
    env = install_env(var_dir)
    os.environ.clear()
    os.environ.update(env)
    started = time.perf_counter()
    citizens = prepare(args.citizens)
    port = free_port()
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    commands = procfile_commands(var_dir, port, args.runserver)
    processes = start(commands, env, logs)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_up(base_url, processes)
        setup_seconds = time.perf_counter() - started
        pdf = make_pdf(args.pdf_kb * 1024)
        result = file_dossiers(base_url, citizens, args.per_citizen, len(citizens), pdf, procedure=args.procedure)
    finally:
        stop(processes)
    result.update(stored_files(result["filed"], pdf))
    result.update(
        {
            "kind": "embedded-filing",
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
            "server": "runserver" if args.runserver else "procfile",
            "commands": {k: shlex.join(v) for k, v in commands.items()},
            "citizens": args.citizens,
            "setup_seconds": round(setup_seconds, 1),
            "database_is_locked_in_logs": count_in_logs(logs, "database is locked"),
            "workdir": str(workdir) if args.keep else None,
        }
    )
    result["checks"] = checks(result)
    result["ok"] = all(result["checks"].values())
    if not args.keep:
        subprocess.run(["rm", "-rf", str(workdir)], check=False)
    else:
        print(f"install and logs kept in {workdir}")
    return result


def write_results(result: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    path = folder / f"embedded-{stamp}.json"
    text = json.dumps(result, ensure_ascii=False, indent=2)
    path.write_text(text)
    (folder / "embedded-latest.json").write_text(text)
    return path


def summary(result: dict) -> str:
    lines = [
        f"embedded default, {result['server']}: {result['concurrency']} citizens at once x {result['per_citizen']} "
        f"dossiers, {result['pdf_bytes'] // 1024} KiB per file",
        f"  filed {result['filed_count']}/{result['expected']} ({result['distinct_codes']} distinct codes) in "
        f"{result['elapsed_seconds']} s = {result['dossiers_per_second']} dossiers/s",
        f"  HTTP statuses {result['statuses']}; 5xx: {result['server_errors']}; uploads {result['uploads']}, "
        f"not stuck {result['uploads_not_stuck']}; files checked {result['files_checked']}",
        f"  'database is locked' in server logs: {result['database_is_locked_in_logs']}",
    ]
    for page, figures in result["latency"].items():
        lines.append(
            f"    {page:<13} n={figures['count']:<5} p50 {figures['p50_ms']:>8} ms  p99 {figures['p99_ms']:>8} ms"
        )
    for error in result["errors"][:10]:
        lines.append(f"  error: {error['citizen']} at {error['page']} (HTTP {error['status']}): {error['detail']}")
    for problem in result["file_problems"][:10]:
        lines.append(f"  file: {problem}")
    failed = [name for name, ok in result["checks"].items() if not ok]
    lines.append("  OK" if result["ok"] else f"  FAILED: {', '.join(failed)}")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    result = run(args)
    path = write_results(result, args.results)
    print(summary(result))
    print(f"  results: {path}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
