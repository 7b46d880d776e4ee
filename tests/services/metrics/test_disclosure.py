"""Small-cell suppression: a public group under the threshold shows nothing, a rate over too few people neither."""

from dataclasses import fields, replace

import pytest

from services.metrics.disclosure import BASES, withhold
from services.metrics.selectors import Kpis

COUNTS = [field.name for field in fields(Kpis) if field.type is int]


def group(size: int) -> Kpis:
    """A group of `size` requests, each counted once in every count, with every rate known."""
    return Kpis(
        **dict.fromkeys(COUNTS, size),
        **{name: 0.5 for name in BASES if name not in ("cost_per_transaction", "satisfaction_per_level")},
        cost_per_transaction=None,
        satisfaction_per_level={5: size},
    )


def test_a_group_under_the_threshold_is_withheld_whole(settings):
    published, withheld = withhold(group(settings.METRICS_PUBLIC_MIN_COUNT - 1))

    assert withheld
    assert all(getattr(published, field.name) is None for field in fields(Kpis))


def test_a_group_at_the_threshold_is_published(settings):
    figures = group(settings.METRICS_PUBLIC_MIN_COUNT)

    assert withhold(figures) == (figures, False)


@pytest.mark.parametrize("base", sorted(set(BASES.values()) - {"started"}))
def test_a_rate_over_too_few_is_withheld_with_its_count_shown(settings, base):
    minimum = settings.METRICS_PUBLIC_MIN_COUNT
    figures = replace(group(minimum), **{base: minimum - 1})

    published, withheld = withhold(figures)

    assert not withheld
    assert getattr(published, base) == minimum - 1
    for rate, over in BASES.items():
        assert getattr(published, rate) == (None if over == base else getattr(figures, rate))


def test_the_threshold_follows_the_setting(settings):
    figures = group(settings.METRICS_PUBLIC_MIN_COUNT)
    settings.METRICS_PUBLIC_MIN_COUNT += 1

    assert withhold(figures)[1]
