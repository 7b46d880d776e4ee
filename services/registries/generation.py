"""Shared tools of the simulated registries: one seeded generator per record, and the registries' date."""

import random
from datetime import date, timedelta

from django.conf import settings

# The registries describe the country on this day: nobody in them is born, married, convicted or
# registered later, so a record never depends on the day it is read.
SNAPSHOT_DATE = date(2026, 1, 1)


def registry_random(kind: str, key: str, *, seed: str | None = None) -> random.Random:
    """A generator private to one record: the same seed (REGISTRY_SEED by default), registry kind and key
    always give the same numbers."""
    seed = settings.REGISTRY_SEED if seed is None else seed
    return random.Random(f"{seed}:{kind}:{key}")  # noqa: S311 - a simulation, not a secret


def years_after(day: date, years: int) -> date:
    """The same calendar day `years` later (or earlier, if negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def random_date_between(rng: random.Random, first: date, last: date) -> date:
    """A day from `first` to `last`, both included, drawn with `rng`."""
    return first + timedelta(days=rng.randint(0, (last - first).days))
