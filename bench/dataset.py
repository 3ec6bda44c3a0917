"""The benchmark's dataset over a run: the people first, then realistic dossiers grown scale by scale, then
the worst-case agency; after each step the per-agency counters are recounted (when the dossiers app has a
recount function) and the tables vacuumed and analysed, as an operator would after a bulk load."""

import importlib
import re
import time
from pathlib import Path

from bench import fixtures, generate

ROOT = Path(__file__).resolve().parents[1]


class Dataset:
    def __init__(self, *, media_root: Path, pool: int, filing_citizens: int, log=print):
        self.media_root, self.pool, self.filing_citizens, self.log = media_root, pool, filing_citizens, log
        self.people: dict = {}
        self.special: dict = {}
        self.worst: dict | None = None
        self.realistic = 0
        self.worst_count = 0

    def prepare(self) -> float:
        """Staff, citizens, the citizen pool and the special dossier; returns seconds."""
        from django.db import connection

        started = time.perf_counter()
        self.people = fixtures.create_people(filing_citizens=self.filing_citizens)
        for i, agency in enumerate(self.people["agencies"], start=1):
            agency["idx"] = i
        generate.set_staff(self.people["agencies"])
        with connection.cursor() as cursor:
            generate.fix_anchor(cursor)
            generate.create_citizen_pool(cursor, self.pool, self.people["heavy_citizen"])
        self.special = fixtures.create_special_dossier(people=self.people)
        return time.perf_counter() - started

    @property
    def bench_agency(self) -> dict:
        return next(a for a in self.people["agencies"] if a["code"] == fixtures.BENCH_COMMUNE)

    def grow_to(self, total: int) -> dict:
        """Add realistic dossiers, shared evenly by the communes, until `total` were generated."""
        add = total - self.realistic
        if add <= 0:
            return {"seconds": 0.0, "added": 0}
        agencies = self.people["agencies"]
        counts = [add // len(agencies) + (1 if i < add % len(agencies) else 0) for i in range(len(agencies))]
        self.log(f"  generating {add:,} dossiers (to {total:,}) over {len(agencies)} communes")
        started = time.perf_counter()
        timings = generate.add_dossiers(
            agencies=agencies,
            counts=counts,
            bench_code=fixtures.BENCH_COMMUNE,
            pool=self.pool,
            media_root=self.media_root,
            log=self.log,
        )
        self.realistic = total
        timings.update(self.finish())
        return {"seconds": round(time.perf_counter() - started, 1), "added": add, "steps": timings}

    def add_worst(self, count: int) -> dict:
        started = time.perf_counter()
        self.worst = fixtures.create_worst_agency()
        self.worst["idx"] = len(self.people["agencies"]) + 1
        generate.set_staff([*self.people["agencies"], self.worst])
        self.log(f"  generating the worst case: {count:,} open dossiers in {self.worst['code']}")
        timings = generate.add_dossiers(
            agencies=[self.worst],
            counts=[count],
            bench_code=fixtures.BENCH_COMMUNE,
            pool=self.pool,
            media_root=self.media_root,
            all_open=True,
            span=60,
            log=self.log,
        )
        self.worst_count = count
        timings.update(self.finish())
        return {"seconds": round(time.perf_counter() - started, 1), "added": count, "steps": timings}

    def finish(self) -> dict:
        timings = {}
        started = time.perf_counter()
        recounted = recount_counters()
        timings["recount"] = round(time.perf_counter() - started, 2)
        if recounted:
            self.log(f"    recount ({', '.join(recounted)}): {timings['recount']:.1f} s")
        started = time.perf_counter()
        vacuum_analyze()
        timings["vacuum_analyze"] = round(time.perf_counter() - started, 2)
        self.log(f"    vacuum analyze: {timings['vacuum_analyze']:.1f} s")
        return timings

    def counts(self) -> dict:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("""SELECT (SELECT count(*) FROM dossiers_dossier),
                                     (SELECT count(*) FROM dossiers_dossier WHERE stage NOT IN
                                         ('draft', 'returned', 'not_received', 'stopped')),
                                     (SELECT count(*) FROM dossiers_dossierevent),
                                     (SELECT count(*) FROM dossiers_attachment),
                                     (SELECT count(*) FROM dossiers_supplementrequest),
                                     (SELECT count(*) FROM dossiers_rating)""")
            names = ["dossiers", "open_dossiers", "events", "attachments", "supplement_requests", "ratings"]
            return dict(zip(names, cursor.fetchone(), strict=True))


def recount_functions() -> list[str]:
    """Module-level `def recount...()` functions of the dossiers app (the per-agency counters' rebuild),
    found in the source so the harness follows the code as it is when it runs."""
    found = []
    for path in sorted((ROOT / "dossiers").rglob("*.py")):
        # tasks.py wraps the same rebuild for the scheduler; running both would count twice.
        if "migrations" in path.parts or path.name == "tasks.py":
            continue
        for name in re.findall(r"^def (recount\w*)\(", path.read_text(encoding="utf-8"), re.M):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found.append(f"{module}.{name}")
    return found


def recount_counters() -> list[str]:
    done = []
    for dotted in recount_functions():
        module, name = dotted.rsplit(".", 1)
        getattr(importlib.import_module(module), name)()
        done.append(dotted)
    return done


def vacuum_analyze() -> None:
    from django.db import connection

    connection.ensure_connection()
    autocommit = connection.get_autocommit()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.set_autocommit(autocommit)
