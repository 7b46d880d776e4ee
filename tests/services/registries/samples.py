"""Samples of valid IINs for the registry tests."""

import random
from datetime import date, timedelta

from services.accounts.iin import make_iin


def random_iins(count: int, *, seed: int, born_from: date = date(1930, 1, 1), born_to: date = date(2025, 12, 31)):
    """`count` distinct valid IINs of people born in the range, the same on every run."""
    rng = random.Random(seed)
    days = (born_to - born_from).days
    iins: dict[str, None] = {}
    while len(iins) < count:
        birth = born_from + timedelta(days=rng.randint(0, days))
        iins[make_iin(birth, female=rng.random() < 0.5, serial=rng.randrange(10_000))] = None
    return list(iins)
