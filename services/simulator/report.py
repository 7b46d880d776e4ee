"""The simulation's figures as rich tables for the terminal."""

from rich.console import Console
from rich.table import Table

from services.simulator.results import Figures, Row

_COLUMNS = (
    ("started", "started", "{:d}"),
    ("submitted", "submitted", "{:d}"),
    ("completed", "completed", "{:d}"),
    ("abandoned", "abandoned", "{:d}"),
    ("in progress", "in_progress", "{:d}"),
    ("completion", "completion_rate", "{:.1%}"),
    ("in deadline", "within_deadline_share", "{:.1%}"),
    ("days to decision (median)", "decision_days_median", "{:.1f}"),
    ("digital take-up", "digital_take_up", "{:.1%}"),
    ("satisfied", "satisfied_share", "{:.1%}"),
)


def figures_print(figures: Figures, console: Console) -> None:
    """Per service, per region and per age band, then the benchmark score beside its reference lines."""
    for dimension, title in (("service", "Services"), ("region", "Regions"), ("age_band", "Age bands")):
        console.print(_table(title, figures.by[dimension], figures.overall))
    tally = ", ".join(f"{name} {count}" for name, count in figures.tally.items())
    console.print(f"Citizens: {tally}")
    pillars = ", ".join(f"{key} {_number(value)}" for key, value in figures.pillars.items())
    lines = ", ".join(f"{key} {value:g}" for key, value in figures.reference_lines.items())
    score = _number(figures.score)
    console.print(f"[bold]Benchmark score (proxy): {score}[/bold] ({pillars}; reference lines: {lines})")


def _table(title: str, rows: list[Row], overall: dict) -> Table:
    table = Table(title=title)
    table.add_column(title[:-1])
    for heading, _name, _format in _COLUMNS:
        table.add_column(heading, justify="right")
    for row in rows:
        table.add_row(row.label, *_cells(row.figures))
    table.add_row("[bold]All[/bold]", *_cells(overall))
    return table


def _cells(figures: dict) -> list[str]:
    return [_format(figures[name], pattern) for _heading, name, pattern in _COLUMNS]


def _format(value: object, pattern: str) -> str:
    return "–" if value is None else pattern.format(value)


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"
