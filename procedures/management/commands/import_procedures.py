import json

from django.core.management.base import BaseCommand, CommandError

from procedures.catalog_io import CatalogError, import_catalog


class Command(BaseCommand):
    help = "Import procedures from a catalog JSON file (docs/catalog-format.md). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError as exc:
            raise CommandError(f"File not found: {options['file']}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"file: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from exc
        try:
            stats = import_catalog(data)
        except CatalogError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was imported.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {len(stats.created)} new, {len(stats.changed)} changed, "
                f"{len(stats.unchanged)} unchanged procedures; {stats.sectors} sectors added or renamed."
            )
        )
