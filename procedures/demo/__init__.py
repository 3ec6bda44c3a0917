"""The demo catalog (catalog.json), loaded by `manage.py load_demo`."""

import json
from pathlib import Path

from procedures.catalog_io import import_catalog
from procedures.demo.templates import add_demo_templates

CATALOG_FILE = Path(__file__).with_name("catalog.json")


def load_demo_catalog(stdout=None) -> int:
    with CATALOG_FILE.open(encoding="utf-8") as handle:
        data = json.load(handle)
    data["procedures"] = [add_demo_templates(entry) for entry in data["procedures"]]
    stats = import_catalog(data)
    if stdout is not None:
        stdout.write(
            f"Catalog: {len(stats.created)} new, {len(stats.changed)} changed, "
            f"{len(stats.unchanged)} unchanged procedures."
        )
    return len(stats.created) + len(stats.changed)
