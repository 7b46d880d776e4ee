"""Small-cell suppression: a public group under the threshold shows nothing, a rate over too few people neither."""

from dataclasses import fields, replace

import pytest

from services.metrics.disclosure import BASES, withhold, withhold_groups
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


def test_beside_the_total_a_lone_withheld_group_takes_the_smallest_other_with_it(settings):
    minimum = settings.METRICS_PUBLIC_MIN_COUNT
    tiny, small, large = group(minimum - 1), group(minimum), group(minimum + 5)
    total = group(3 * minimum + 4)

    (_total, total_withheld), published = withhold_groups(total, [large, tiny, small])

    assert not total_withheld
    assert [withheld for _figures, withheld in published] == [False, True, True]
    assert published[0] == (large, False)


def test_two_withheld_groups_or_a_withheld_total_need_nothing_more(settings):
    minimum = settings.METRICS_PUBLIC_MIN_COUNT
    tiny, large = group(minimum - 1), group(minimum + 5)

    _total, published = withhold_groups(group(2 * minimum + 3), [large, tiny, tiny])
    assert [withheld for _figures, withheld in published] == [False, True, True]
    (_figures, total_withheld), published = withhold_groups(group(minimum - 1), [tiny])
    assert total_withheld and [withheld for _figures, withheld in published] == [True]
