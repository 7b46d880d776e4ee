"""The simulation's figures as rich tables for the terminal, in the language the command is run in."""

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rich.console import Console
from rich.table import Table

from services.metrics.score import PILLAR_LABELS, reference_lines
from services.simulator.results import Figures, Row

_COLUMNS: tuple[tuple[Promise, str, str], ...] = (
    (gettext_lazy("started"), "started", "{:d}"),
    (gettext_lazy("submitted"), "submitted", "{:d}"),
    (gettext_lazy("completed"), "completed", "{:d}"),
    (gettext_lazy("abandoned"), "abandoned", "{:d}"),
    (gettext_lazy("in progress"), "in_progress", "{:d}"),
    (gettext_lazy("completion"), "completion_rate", "{:.1%}"),
    (gettext_lazy("within deadline"), "within_deadline_share", "{:.1%}"),
    (gettext_lazy("days to decision (median)"), "decision_days_median", "{:.1f}"),
    (gettext_lazy("digital take-up"), "digital_take_up", "{:.1%}"),
    (gettext_lazy("satisfied"), "satisfied_share", "{:.1%}"),
)

# Titles of the tables and of their first column, by dimension.
_TABLES: dict[str, tuple[Promise, Promise]] = {
    "service": (gettext_lazy("Services"), gettext_lazy("Service")),
    "region": (gettext_lazy("Regions"), gettext_lazy("Region")),
    "age_band": (gettext_lazy("Age bands"), gettext_lazy("Age band")),
}

# What became of the simulated citizens (the run's tally).
_TALLY: dict[str, Promise] = {
    "citizens": gettext_lazy("citizens"),
    "web": gettext_lazy("on the web"),
    "counter": gettext_lazy("at a service counter"),
    "offline_not_served": gettext_lazy("offline, not served"),
    "form_refused": gettext_lazy("answers refused by the form"),
}


def figures_print(figures: Figures, console: Console) -> None:
    """Per service, per region and per age band, then the benchmark score beside its reference lines."""
    for dimension, (title, heading) in _TABLES.items():
        console.print(_table(str(title), str(heading), figures.by[dimension], figures.overall))
    tally = ", ".join(f"{_TALLY.get(name, name)} {count}" for name, count in figures.tally.items())
    console.print(_("Citizens: %(tally)s") % {"tally": tally})
    pillars = ", ".join(f"{PILLAR_LABELS[key]} {_number(value)}" for key, value in figures.pillars.items())
    labels = {line.key: line.label for line in reference_lines()}
    lines = ", ".join(f"{labels.get(key, key)} {value:g}" for key, value in figures.reference_lines.items())
    score = _("Benchmark score (proxy): %(score)s") % {"score": _number(figures.score)}
    beside = _("%(pillars)s; reference lines: %(lines)s") % {"pillars": pillars, "lines": lines}
    console.print(f"[bold]{score}[/bold] ({beside})")


def _table(title: str, heading: str, rows: list[Row], overall: dict) -> Table:
    table = Table(title=title)
    table.add_column(heading)
    for column, _name, _format in _COLUMNS:
        table.add_column(str(column), justify="right")
    for row in rows:
        table.add_row(row.label, *_cells(row.figures))
    everything = _("All")
    table.add_row(f"[bold]{everything}[/bold]", *_cells(overall))
    return table


def _cells(figures: dict) -> list[str]:
    return [_format(figures[name], pattern) for _heading, name, pattern in _COLUMNS]


def _format(value: object, pattern: str) -> str:
    return "–" if value is None else pattern.format(value)


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"
