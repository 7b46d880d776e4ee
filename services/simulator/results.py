"""What a simulation shows, read through the metrics' own selectors after a rebuild of the rollups."""

from dataclasses import asdict, dataclass, replace
from typing import Any

from services.metrics.dimensions import dimension_label
from services.metrics.score import benchmark_score
from services.metrics.selectors import Filters, Kpis, funnels, kpis, kpis_by
from services.metrics.service import metrics_rebuild
from services.simulator.engine import Run

# The KPIs kept per row of a table (the rest of Kpis stays in the metrics).
ROW_FIGURES = (
    "started",
    "submitted",
    "completed",
    "abandoned",
    "in_progress",
    "completion_rate",
    "within_deadline_share",
    "decision_days_median",
    "digital_take_up",
    "satisfied_share",
)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    figures: dict[str, Any]


@dataclass(frozen=True)
class Figures:
    """The run's cohort (requests started on its arrival days) by service, region, age band and channel."""

    profile: str
    citizens: int
    days: int
    seed: int
    tally: dict[str, int]
    submitted: int
    seconds: float
    cpu_seconds: float
    overall: dict[str, Any]
    score: float | None
    pillars: dict[str, float | None]
    reference_lines: dict[str, float]
    by: dict[str, list[Row]]
    # The benchmark score of each service, region and age band alone.
    score_by: dict[str, dict[str, float | None]]
    funnels: dict[str, list[tuple[str, int]]]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def run_figures(run: Run) -> Figures:
    """Rebuild the rollups (the run wrote events in the past, behind the periodic ingest) and read them."""
    metrics_rebuild()
    filters = Filters(start=run.start, end=run.arrivals_end, cohort=True)
    score = benchmark_score(filters)
    by = {
        dimension: [
            Row(value, str(dimension_label(dimension, value)), _row(figures))
            for value, figures in kpis_by(dimension, filters)
        ]
        for dimension in ("service", "region", "age_band", "channel")
    }
    services = [row.key for row in by["service"]]
    return Figures(
        profile=run.profile.name,
        citizens=run.citizens,
        days=run.days,
        seed=run.seed,
        tally=dict(sorted(run.tally.items())),
        submitted=len(run.requests),
        seconds=run.seconds,
        cpu_seconds=run.cpu_seconds,
        overall=_row(kpis(filters)),
        score=score.total,
        pillars={pillar.key: pillar.value for pillar in score.pillars},
        reference_lines={line.key: line.value for line in score.reference_lines},
        by=by,
        score_by={
            dimension: {row.key: benchmark_score(replace(filters, **{dimension: row.key})).total for row in rows}
            for dimension, rows in by.items()
            if dimension != "channel"
        },
        funnels={
            code: [(step.key, step.reached) for step in steps] for code, steps in funnels(services, filters).items()
        },
    )


def _row(figures: Kpis) -> dict[str, Any]:
    return {name: getattr(figures, name) for name in ROW_FIGURES}
