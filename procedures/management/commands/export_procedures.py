import json
import sys

from django.core.management.base import BaseCommand

from procedures.catalog_io import export_catalog


class Command(BaseCommand):
    help = "Export the published catalog as JSON (docs/catalog-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        text = json.dumps(export_catalog(), ensure_ascii=False, indent=2) + "\n"
        if options["out"]:
            with open(options["out"], "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {options['out']}")
        else:
            sys.stdout.write(text)
