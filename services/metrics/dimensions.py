"""The dimensions of the digital-divide lens: service, region, age band, channel."""

from datetime import date
from itertools import combinations

from django.utils.translation import gettext_lazy as _

from services.catalogue.models import Service
from services.registries.regions import region_by_code
from services.workflow.states import Channel

DIMENSIONS = ("service", "region", "age_band", "channel")
UNKNOWN = "unknown"
# The service, region or age band of the rollup rows that total over all of its values.
ALL = "*"
# The dimensions a rollup row may be broken down by, besides the channel (which every row has).
CUT_DIMENSIONS = ("service", "region", "age_band")


def cut_of(names: frozenset[str] | set[str]) -> str:
    """The name of the cut that breaks down by these dimensions: "" for the portal total, else "service+region"."""
    return "+".join(name for name in CUT_DIMENSIONS if name in names)


# Every cut (name -> its dimensions): each dimension alone and the portal total at day, week and
# month grains; the crosses of two or three (for a filter with a breakdown) only at month grain, so
# the rows, and the dashboard's reads, stay few however long the history.
CUTS: dict[str, frozenset[str]] = {
    cut_of(names): names
    for names in (
        frozenset(chosen) for size in range(len(CUT_DIMENSIONS) + 1) for chosen in combinations(CUT_DIMENSIONS, size)
    )
}
CROSSES = frozenset(cut for cut, names in CUTS.items() if len(names) > 1)

# Lower bound of each band (full years on the day the request was started) -> its name.
AGE_BANDS: tuple[tuple[int, str], ...] = ((60, "60+"), (45, "45-59"), (30, "30-44"), (18, "18-29"), (0, "0-17"))
AGE_BAND_NAMES: tuple[str, ...] = tuple(name for _lower, name in reversed(AGE_BANDS))


def age_band(birth_date: date | None, on: date) -> str:
    """The age band of someone born on `birth_date`, on the day `on`; "unknown" without a birth date."""
    if birth_date is None:
        return UNKNOWN
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return next((name for lower, name in AGE_BANDS if age >= lower), AGE_BANDS[-1][1])


def dimension_label(dimension: str, value: str) -> str:
    """A reader's label for a dimension value: the region's or channel's name, else the value itself."""
    if value == UNKNOWN:
        return str(_("Unknown"))
    if dimension == "region":
        try:
            return region_by_code(value).name
        except KeyError:
            return value
    if dimension == "channel" and value in Channel.values:
        return str(Channel(value).label)
    if dimension == "service":
        service = Service.objects.filter(code=value).first()
        return service.name if service else value
    return value
