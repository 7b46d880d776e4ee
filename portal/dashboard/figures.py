"""The dashboard's figures, gathered from the metrics selectors, and their charts.

Only reads of `services.metrics` (a few grouped queries on the rollups, however many requests
there are); this module names, orders and formats them for the pages and the exports.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from portal.dashboard.charts import Datum, Line, bar_chart, funnel_chart, line_chart
from services.catalogue.models import Service
from services.feedback.models import Rating
from services.metrics.dimensions import dimension_label
from services.metrics.disclosure import minimum_count, withhold_groups
from services.metrics.score import Score, benchmark_score
from services.metrics.selectors import (
    Filters,
    FunnelStep,
    Kpis,
    Point,
    completion_over_time,
    crosses,
    funnels,
    kpis,
    kpis_by,
    whole_months,
)

GROUPS = ("service", "region", "age_band", "channel")
RATINGS = sorted(Rating.values, reverse=True)


@dataclass(frozen=True)
class Row:
    """The KPIs of one value of a dimension, with its reader's label."""

    value: str
    label: str
    kpis: Kpis
    withheld: bool = False  # a public row of too small a group: its figures are None


@dataclass(frozen=True)
class Funnel:
    service: str
    name: str
    steps: list[FunnelStep]


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    total: Kpis
    groups: dict[str, list[Row]]  # GROUPS -> rows
    funnels: list[Funnel]
    over_time: list[Point]
    score: Score
    over_time_bucket: str = "week"
    widened: bool = False  # the chosen period was widened to whole months (a filter with a breakdown)


@dataclass(frozen=True)
class Chart:
    """A chart and the table of its numbers: `rows` of (label, *cells), under `columns`."""

    title: str
    svg: SafeString
    columns: list[str]
    rows: list[list[str]]


def staff_dashboard(filters: Filters) -> Dashboard:
    """Every figure of the staff dashboard for the filters.

    With a service, region or age band chosen, the breakdowns by the others are crosses, kept per
    month only: the period is widened to the whole months it touches, and with two chosen the
    completion over time is per month.
    """
    original = filters
    widened = whole_months(filters) if any(crosses(filters, dimension) for dimension in GROUPS) else filters
    filters, bucket = widened, "month" if crosses(widened) else "week"
    groups = {dimension: _rows(dimension, filters) for dimension in GROUPS}
    names = {row.value: row.label for row in groups["service"]}
    codes = [filters.service] if filters.service else sorted(names, key=names.get)
    total = kpis(filters)
    steps = funnels(codes, filters)
    return Dashboard(
        filters=filters,
        total=total,
        groups=groups,
        funnels=[Funnel(code, names.get(code, code), steps[code]) for code in codes],
        over_time=completion_over_time(filters, bucket),
        score=benchmark_score(filters, figures=total),
        over_time_bucket=bucket,
        widened=widened != original,
    )


def public_rows(filters: Filters) -> tuple[Row, list[Row]]:
    """The portal-wide KPIs and those of each service (no personal data: counts and shares only),
    small groups and rates over few people withheld (`services.metrics.disclosure`)."""
    rows = _rows("service", filters)
    total, published = withhold_groups(kpis(filters), [row.kpis for row in rows])
    return (
        Row("", _("All services"), *total),
        [Row(row.value, row.label, *figures) for row, figures in zip(rows, published, strict=True)],
    )


def _rows(dimension: str, filters: Filters) -> list[Row]:
    grouped = kpis_by(dimension, filters)
    if dimension == "service":
        codes = [value for value, _figures in grouped]
        services = Service.objects.filter(code__in=codes).only("code", "name_kk", "name_ru", "name_en")
        names = {service.code: service.name for service in services}
        return sorted((Row(value, names.get(value, value), figures) for value, figures in grouped), key=_by_label)
    rows = [Row(value, dimension_label(dimension, value), figures) for value, figures in grouped]
    return rows if dimension == "age_band" else sorted(rows, key=_by_label)


def _by_label(row: Row) -> str:
    return row.label


def percent(share: float | None) -> str:
    """A share 0..1 written as a whole percentage, a dash when unknown."""
    if share is None:
        return "–"
    return f"{formats.number_format(round(100 * share))}%"


def number(value: float | Decimal | int | None, digits: int = 0) -> str:
    return "–" if value is None else formats.number_format(value, digits, use_l10n=True, force_grouping=True)


def charts(dashboard: Dashboard) -> dict[str, Any]:
    """The staff dashboard's charts, each with its table."""
    services, regions = dashboard.groups["service"], dashboard.groups["region"]
    return {
        "funnels": [_funnel_chart(item) for item in dashboard.funnels],
        "over_time": _over_time_chart(dashboard.over_time, dashboard.over_time_bucket),
        "deadline": _share_chart(
            _("Decided within the legal deadline, by service"),
            services,
            _("Within the deadline"),
            lambda k: k.within_deadline_share,
        ),
        "region_completion": _share_chart(
            _("Completion rate by region"), regions, _("Completion rate"), lambda k: k.completion_rate
        ),
        "region_digital": _share_chart(
            _("Digital take-up by region"), regions, _("Digital take-up"), lambda k: k.digital_take_up
        ),
        "score": _score_chart(dashboard.score),
    }


def _share_chart(title: str, rows: list[Row], heading: str, share: Callable[[Kpis], float | None]) -> Chart:
    """Bars of one share (0..1) per row, scaled to 100%."""
    data = [Datum(row.label, share(row.kpis), percent(share(row.kpis))) for row in rows]
    return Chart(title, bar_chart(title, data, maximum=1.0), [_("Name"), heading], [[d.label, d.text] for d in data])


def _funnel_chart(item: Funnel) -> Chart:
    title = _("How far the requests for “%(service)s” got") % {"service": item.name}
    first = item.steps[0].reached if item.steps else 0
    data = [Datum(str(step.label), step.reached, number(step.reached)) for step in item.steps]
    rows = [[d.label, d.text, percent(d.value / first if first else None)] for d in data]
    return Chart(title, funnel_chart(title, data), [_("Step"), _("Requests"), _("Of those started")], rows)


def _over_time_chart(points: list[Point], bucket: str) -> Chart:
    if bucket == "month":
        title, first_column = _("Completion rate of the requests started each month"), _("Month from")
    else:
        title, first_column = _("Completion rate of the requests started each week"), _("Week from")
    data = [Datum(formats.date_format(p.day, "SHORT_DATE_FORMAT"), p.rate, percent(p.rate)) for p in points]
    axis = [Datum("", value, percent(value)) for value in (0, 0.25, 0.5, 0.75, 1)]
    rows = [[d.label, number(p.started), number(p.completed), d.text] for d, p in zip(data, points, strict=True)]
    columns = [first_column, _("Started"), _("Completed"), _("Completion rate")]
    return Chart(title, line_chart(title, data, axis=axis), columns, rows)


def _score_chart(score: Score) -> Chart:
    title = _("Benchmark score and its pillars, against the reference lines")
    data = [Datum(_("Total score"), score.total, number(score.total, 1))] + [
        Datum(str(pillar.label), pillar.value, number(pillar.value, 1)) for pillar in score.pillars
    ]
    lines = [Line(str(line.label), line.value) for line in score.reference_lines]
    rows = [[d.label, d.text] for d in data] + [
        [f"{line.label} ({line.source})", number(line.value, 1)] for line in score.reference_lines
    ]
    svg = bar_chart(title, data, maximum=100.0, lines=lines)
    return Chart(title, svg, [_("Name"), _("Score out of 100")], rows)


@dataclass(frozen=True)
class Satisfaction:
    """The answers per level, most satisfied first, for the pages; `levels` is None where withheld."""

    figures: Kpis
    levels: list[tuple[str, int]] | None
    confident_answers: int


def satisfaction(figures: Kpis) -> Satisfaction:
    per_level = figures.satisfaction_per_level
    levels = None if per_level is None else [(Rating(level).label, per_level.get(level, 0)) for level in RATINGS]
    return Satisfaction(figures, levels, settings.METRICS_SATISFACTION_CONFIDENT_ANSWERS)


def export_rows(groups: dict[str, list[Row]], total: Kpis) -> list[dict[str, Any]]:
    """One flat row per group value (and the total), for CSV and JSON."""
    rows = [{"dimension": "all", "value": "", "label": _("All"), **_plain(total)}]
    for dimension, items in groups.items():
        rows += [{"dimension": dimension, "value": row.value, "label": row.label, **_plain(row.kpis)} for row in items]
    return rows


def public_export_rows(total: Row, rows: list[Row]) -> list[dict[str, Any]]:
    """The public rows for CSV and JSON, each saying whether it is withheld, and the count under which
    a group or a rate's base is withheld."""
    flags = [total.withheld, *(row.withheld for row in rows)]
    return [
        {**plain, "withheld": withheld, "fewer_than": minimum_count()}
        for plain, withheld in zip(export_rows({"service": rows}, total.kpis), flags, strict=True)
    ]


def _plain(figures: Kpis) -> dict[str, Any]:
    values = asdict(figures)
    values["cost_per_transaction"] = None if figures.cost_per_transaction is None else str(figures.cost_per_transaction)
    levels = figures.satisfaction_per_level
    values["satisfaction_per_level"] = None if levels is None else {str(level): n for level, n in levels.items()}
    return values


def export_details(dashboard: Dashboard) -> dict[str, Any]:
    """The funnels, the completion over time and the score, for the JSON export."""
    score = dashboard.score
    return {
        "funnels": [
            {
                "service": item.service,
                "steps": [{"key": s.key, "label": str(s.label), "reached": s.reached} for s in item.steps],
            }
            for item in dashboard.funnels
        ],
        "completion_over_time": [
            {
                f"{dashboard.over_time_bucket}_from": p.day.isoformat(),
                "started": p.started,
                "completed": p.completed,
                "rate": p.rate,
            }
            for p in dashboard.over_time
        ],
        "score": {
            "total": score.total,
            "pillars": [
                {
                    "key": p.key,
                    "label": str(p.label),
                    "value": p.value,
                    "international_counterpart": p.international_counterpart,
                }
                for p in score.pillars
            ],
            "reference_lines": [
                {"key": line.key, "label": str(line.label), "value": line.value, "source": line.source}
                for line in score.reference_lines
            ],
            "note": str(score.note),
        },
    }
