from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from services.catalogue.loading import DEFAULT_CATALOGUE, CatalogueError, catalogue_load_file


class Command(BaseCommand):
    help = "Load agencies, life events and services from the catalogue data file (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_CATALOGUE)

    def handle(self, *args, path: Path, **options):
        try:
            report = catalogue_load_file(path)
        except (CatalogueError, OSError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        if not report.changed:
            self.stdout.write("Catalogue unchanged.")
            return
        for label, entries in (
            ("created", report.created),
            ("updated", report.updated),
            ("new form version", report.new_form_versions),
        ):
            for entry in entries:
                self.stdout.write(f"{label}: {entry}")
