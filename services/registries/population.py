"""The population registry (in production, the state database of individuals).

Birth date and sex come from the IIN's own digits; everything else is drawn from a generator seeded
with the IIN, so a person's record is the same on every call and in every process.
"""

import random
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings

from services.accounts.iin import iin_birth_date, iin_is_female, is_valid_iin, make_iin
from services.registries.addresses import random_address
from services.registries.demo import DEMO_PEOPLE
from services.registries.generation import SNAPSHOT_DATE, random_date_between, registry_random, years_after
from services.registries.names import FullName, latin, random_full_name
from services.registries.records import Address, Person, Sex

__all__ = ["Address", "Person", "Sex", "age_on", "person"]

MARRIED_SHARE = 0.6
MARRIAGE_MIN_AGE = 20
# Number of children in a lifetime -> weight; about one parent in six has four or more.
CHILDREN_WEIGHTS = {0: 22, 1: 20, 2: 26, 3: 17, 4: 9, 5: 6}
# Children are born when the parent is 18 to 40 years old, most often about 27.
PARENT_AGE_RANGE = (18, 40)
TYPICAL_PARENT_AGE = 27
# People younger than this have no phone or e-mail of their own in the registry.
CONTACT_MIN_AGE = 14
EMAIL_SHARE = 0.7
EMAIL_SHARE_OVER_60 = 0.3
EMAIL_DOMAINS = ("mail.ru", "gmail.com", "mail.kz", "inbox.kz", "yandex.kz")
# Kazakhstan's mobile codes after "+77": Beeline, Kcell/Activ, Tele2/Altel.
PHONE_OPERATOR_CODES = ("00", "01", "02", "05", "07", "08", "47", "71", "75", "76", "77", "78")
# make_iin knows births from 1800; nobody's spouse is older than that.
_EARLIEST_BIRTH = date(1800, 1, 1)


def person(iin: str) -> Person | None:
    """The population registry's record for `iin`; None when the IIN is not valid."""
    if not is_valid_iin(iin):
        return None
    if iin in DEMO_PEOPLE:
        return DEMO_PEOPLE[iin]
    return _generated_person(settings.REGISTRY_SEED, iin)


def age_on(person: Person, day: date) -> int:
    """The person's age in full years on `day` (negative before the birth)."""
    born = person.birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# Records are frozen and depend only on the seed and the IIN, so they can be kept: the checks of one
# request and the simulator's citizens ask for the same people again and again.
@lru_cache(maxsize=65_536)
def _generated_person(seed: str, iin: str) -> Person:
    rng = registry_random("population", iin, seed=seed)
    birth = iin_birth_date(iin)
    female = iin_is_female(iin)
    name = random_full_name(rng, female=female)
    address = random_address(rng)
    has_contacts = years_after(birth, CONTACT_MIN_AGE) <= SNAPSHOT_DATE
    phone = _random_phone(rng) if has_contacts else ""
    email = _random_email(rng, name, birth) if has_contacts else ""
    return Person(
        iin=iin,
        last_name=name.last_name,
        first_name=name.first_name,
        patronymic=name.patronymic,
        birth_date=birth,
        sex=Sex.FEMALE if female else Sex.MALE,
        address=address,
        phone=phone,
        email=email,
        spouse_iin=_random_spouse_iin(rng, birth, female=female),
        children_iins=_random_children_iins(rng, birth),
    )


def _random_phone(rng: random.Random) -> str:
    return f"+77{rng.choice(PHONE_OPERATOR_CODES)}{rng.randrange(10**7):07d}"


def _random_email(rng: random.Random, name: FullName, birth: date) -> str:
    older = years_after(birth, 60) <= SNAPSHOT_DATE
    if rng.random() >= (EMAIL_SHARE_OVER_60 if older else EMAIL_SHARE):
        return ""
    local = f"{latin(name.first_name)}.{latin(name.last_name)}"
    if rng.random() < 0.5:
        local += f"{birth:%y}"
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


def _random_spouse_iin(rng: random.Random, birth: date, *, female: bool) -> str | None:
    latest_spouse_birth = years_after(SNAPSHOT_DATE, -MARRIAGE_MIN_AGE)
    if birth > latest_spouse_birth or rng.random() >= MARRIED_SHARE:
        return None
    # Husbands tend to be a few years older than their wives.
    older, younger = (6, 2) if female else (2, 6)
    spouse_birth = random_date_between(rng, years_after(birth, -older), years_after(birth, younger))
    spouse_birth = max(_EARLIEST_BIRTH, min(spouse_birth, latest_spouse_birth))
    return make_iin(spouse_birth, female=not female, serial=rng.randrange(10_000))


def _random_children_iins(rng: random.Random, birth: date) -> tuple[str, ...]:
    # A lifetime's children are drawn, then only those born by the snapshot are kept, so a young
    # adult has had few of them yet.
    count = rng.choices(tuple(CHILDREN_WEIGHTS), weights=tuple(CHILDREN_WEIGHTS.values()))[0]
    youngest, oldest = PARENT_AGE_RANGE
    first, last = years_after(birth, youngest), years_after(birth, oldest)
    children = set()
    for _ in range(count):
        parent_age_in_days = rng.triangular(youngest * 365.25, oldest * 365.25, TYPICAL_PARENT_AGE * 365.25)
        child_birth = min(max(birth + timedelta(days=int(parent_age_in_days)), first), last)
        female, serial = rng.random() < 0.49, rng.randrange(10_000)
        if child_birth <= SNAPSHOT_DATE:
            children.add(make_iin(child_birth, female=female, serial=serial))
    return tuple(sorted(children, key=lambda child: (iin_birth_date(child), child)))
