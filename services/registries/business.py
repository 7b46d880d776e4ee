"""The register of individual entrepreneurs and their tax accounts (in production, the State Revenue Committee)."""

from datetime import date

from services.accounts.iin import iin_birth_date, is_valid_iin
from services.registries.demo import DEMO_ENTREPRENEURS
from services.registries.generation import SNAPSHOT_DATE, random_date_between, registry_random, years_after
from services.registries.population import person
from services.registries.records import Entrepreneur

__all__ = ["Entrepreneur", "entrepreneur"]

# Of the adults: the share registered as individual entrepreneurs, and of those the share owing tax.
ENTREPRENEUR_SHARE = 0.08
TAX_ARREARS_SHARE = 0.2
ADULT_AGE = 18
# Individual entrepreneurs have registered with the tax authority under IINs since the IIN came in.
FIRST_REGISTRATION = date(2007, 1, 1)
# Five-digit codes of the classification of economic activities (OKED) that small businesses use most.
ACTIVITY_CODES = (
    "47190",  # retail in non-specialised stores
    "47110",  # retail, mainly food
    "47910",  # retail via mail order or the internet
    "56101",  # restaurants
    "49410",  # freight transport by road
    "49320",  # taxi
    "96020",  # hairdressing and beauty
    "62010",  # computer programming
    "43390",  # other building completion
    "45200",  # maintenance and repair of motor vehicles
    "68201",  # renting of own real estate
    "85590",  # other education
    "74100",  # design
    "10710",  # bread and fresh pastry
    "01410",  # dairy cattle
    "95220",  # repair of household appliances
)
TRADE_NAMES = ("Береке", "Достар", "Шанырак", "Алтын", "Сункар", "Нур", "Жулдыз", "Тумар", "Ак жол", "Мерей")


def entrepreneur(iin: str) -> Entrepreneur | None:
    """The person's registration as an individual entrepreneur; None if not registered or the IIN is invalid."""
    if not is_valid_iin(iin):
        return None
    if iin in DEMO_ENTREPRENEURS:
        return DEMO_ENTREPRENEURS[iin]
    could_register_from = max(years_after(iin_birth_date(iin), ADULT_AGE), FIRST_REGISTRATION)
    if could_register_from > SNAPSHOT_DATE:
        return None
    rng = registry_random("business", iin)
    if rng.random() >= ENTREPRENEUR_SHARE:
        return None
    registered_on = random_date_between(rng, could_register_from, SNAPSHOT_DATE)
    activity_code = rng.choice(ACTIVITY_CODES)
    trade_name = f"ИП «{rng.choice(TRADE_NAMES)}»" if rng.random() < 0.5 else f"ИП {_last_name(iin)}"
    arrears = rng.randrange(5_000, 1_500_000, 50) if rng.random() < TAX_ARREARS_SHARE else 0
    return Entrepreneur(iin, registered_on, activity_code, trade_name, arrears)


def _last_name(iin: str) -> str:
    owner = person(iin)
    assert owner is not None  # the IIN was checked above
    return owner.last_name
