import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import Progress

from services.simulator.engine import simulation_run
from services.simulator.profiles import ProfileError, profile_load, profile_names
from services.simulator.report import figures_print
from services.simulator.results import run_figures


class Command(BaseCommand):
    help = (
        "Drive synthetic citizens and officers through the portal's own workflow on a simulated clock "
        "(ending today), then show the KPIs per service, region and age band and the benchmark score."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--citizens", type=int, default=500)
        parser.add_argument("--days", type=int, default=30, help="days over which citizens arrive")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--profile", default="today", choices=profile_names())
        parser.add_argument("--lever", help="pull only this lever of the profile (see its [levers] table)")
        parser.add_argument("--language", default="en", choices=[code for code, _name in settings.LANGUAGES])
        parser.add_argument("--json", dest="json_path", type=Path, help="also write the figures to this JSON file")

    def handle(self, *args, citizens: int, days: int, seed: int, profile: str, language: str, **options):
        json_path: Path | None = options["json_path"]
        if citizens < 1 or days < 1:
            raise CommandError("--citizens and --days must be at least 1")
        try:
            chosen = profile_load(profile, lever=options["lever"])
        except ProfileError as problem:
            raise CommandError(str(problem)) from problem
        console = Console(file=self.stdout, width=None if self.stdout.isatty() else 180)
        with translation.override(language):
            description = _("Simulating %(citizens)d citizens (%(profile)s)") % {
                "citizens": citizens,
                "profile": chosen.name,
            }
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task(description, total=citizens)
            run = simulation_run(
                profile=chosen,
                citizens=citizens,
                days=days,
                seed=seed,
                progress=lambda done: bar.update(task, completed=done),
            )
        with translation.override(language):
            figures = run_figures(run)
            figures_print(figures, console)
        if json_path:
            json_path.write_text(_dumps(figures.as_json()))


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, default=str)
