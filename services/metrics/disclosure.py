"""Small-cell suppression of the published KPIs: a figure about fewer than a few people is withheld.

A public figure of a tiny group (a service started three times in the period) can reveal who the
people are and how their requests ended, so the public outputs withhold, as statistical offices do:
- every figure of a group fewer than `METRICS_PUBLIC_MIN_COUNT` requests were started in;
- in a larger group, each rate or time whose base (decisions, completions, satisfaction answers)
  is below the threshold;
- beside a published total, a second group when only one is withheld, since the total minus the
  groups shown would give the withheld one back (secondary suppression).
Staff figures are never withheld.
"""

from dataclasses import fields, replace

from django.conf import settings

from services.metrics.selectors import Kpis

# Each rate or time of `Kpis` -> the count it is computed over (started is the cohort's: the
# requests started in the period are that period's starts).
BASES = {
    "completion_rate": "started",
    "decision_days_median": "decisions",
    "decision_days_p90": "decisions",
    "within_deadline_share": "decisions",
    "automatic_share": "decisions",
    "digital_take_up": "completed",
    "cost_per_transaction": "completed",
    "satisfied_share": "satisfaction_answers",
    "satisfaction_score": "satisfaction_answers",
    "satisfaction_per_level": "satisfaction_answers",
}


def minimum_count() -> int:
    return settings.METRICS_PUBLIC_MIN_COUNT


def withhold(figures: Kpis) -> tuple[Kpis, bool]:
    """The figures of one group as they may be published (None where withheld), and whether the group is withheld."""
    minimum = minimum_count()
    if figures.started < minimum:
        return _withheld(figures), True
    small = {name: None for name, base in BASES.items() if getattr(figures, base) < minimum}
    return replace(figures, **small), False


def withhold_groups(total: Kpis, groups: list[Kpis]) -> tuple[tuple[Kpis, bool], list[tuple[Kpis, bool]]]:
    """The total and the groups that add up to it, as they may be published together.

    When the total is shown and exactly one group is withheld, the smallest group shown is withheld
    too: otherwise subtracting the others from the total would reveal it.
    """
    published_total = withhold(total)
    published = [withhold(group) for group in groups]
    shown = [index for index, (_figures, withheld) in enumerate(published) if not withheld]
    if not published_total[1] and len(published) - len(shown) == 1 and shown:
        smallest = min(shown, key=lambda index: groups[index].started)
        published[smallest] = (_withheld(groups[smallest]), True)
    return published_total, published


def _withheld(figures: Kpis) -> Kpis:
    return replace(figures, **{field.name: None for field in fields(figures)})
