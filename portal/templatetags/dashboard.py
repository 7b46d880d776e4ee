"""Filters that write the dashboard's figures: `percent` for shares, `count` for numbers."""

from decimal import Decimal

from django import template

from portal.dashboard.figures import number, percent

register = template.Library()


@register.filter(name="percent")
def percent_filter(share: float | None) -> str:
    """A share 0..1 as a whole percentage, a dash when unknown."""
    return percent(share)


@register.filter(name="count")
def count_filter(value: float | Decimal | int | None, digits: int = 0) -> str:
    """A number with grouped thousands and `digits` decimals, a dash when unknown."""
    return number(value, digits)
