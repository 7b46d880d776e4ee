"""The legal cadastre of real estate (in production, the Government for Citizens' real-estate register).

Most owners' first property is the home they are registered at; a second one is elsewhere.
"""

import random
import re

from services.accounts.iin import iin_birth_date, is_valid_iin
from services.registries.addresses import random_address
from services.registries.demo import DEMO_PROPERTIES
from services.registries.generation import SNAPSHOT_DATE, registry_random, years_after
from services.registries.population import person
from services.registries.records import Address, Property, PropertyKind
from services.registries.regions import region_by_code

__all__ = ["Property", "PropertyKind", "properties_of", "property_by_cadastral_number", "property_owned_at"]

# Of the adults: the share owning any property, and of those the share owning two.
OWNER_SHARE = 0.6
TWO_PROPERTIES_SHARE = 0.2
# Share of owners whose first property is their registered home.
LIVES_IN_OWN_HOME_SHARE = 0.85
ADULT_AGE = 18
# Kind -> (smallest, largest) area in square metres.
AREAS = {
    PropertyKind.APARTMENT: (28, 140),
    PropertyKind.HOUSE: (60, 320),
    PropertyKind.LAND: (400, 2500),
    PropertyKind.NON_RESIDENTIAL: (18, 600),
}


def properties_of(iin: str) -> list[Property]:
    """The properties registered to the owner `iin`, main home first; empty for none or an invalid IIN."""
    if not is_valid_iin(iin):
        return []
    if iin in DEMO_PROPERTIES:
        return list(DEMO_PROPERTIES[iin])
    if years_after(iin_birth_date(iin), ADULT_AGE) > SNAPSHOT_DATE:
        return []
    rng = registry_random("realty", iin)
    if rng.random() >= OWNER_SHARE:
        return []
    owner = person(iin)
    assert owner is not None  # the IIN was checked above
    if rng.random() < LIVES_IN_OWN_HOME_SHARE:
        home = owner.address
    else:
        home = random_address(rng, region=region_by_code(owner.address.region))
    found = [_property(rng, iin, home)]
    if rng.random() < TWO_PROPERTIES_SHARE:
        found.append(_property(rng, iin, random_address(rng), second=True))
    return found


def property_owned_at(owner_iin: str, address_text: str) -> Property | None:
    """The property `owner_iin` owns at the address written as `address_text` (case, spacing and
    punctuation do not matter); None if they own nothing there."""
    wanted = _address_words(address_text)
    return next((p for p in properties_of(owner_iin) if _address_words(p.address.text) == wanted), None)


def property_by_cadastral_number(owner_iin: str, cadastral_number: str) -> Property | None:
    """The property of `owner_iin` with this cadastral number (":" and "-" both separate); None if none."""
    wanted = cadastral_number.strip().replace("-", ":")
    return next((p for p in properties_of(owner_iin) if p.cadastral_number == wanted), None)


def _property(rng: random.Random, owner_iin: str, address: Address, *, second: bool = False) -> Property:
    if address.apartment is not None:
        kind = PropertyKind.APARTMENT
    elif second:
        kind = rng.choice((PropertyKind.HOUSE, PropertyKind.LAND, PropertyKind.NON_RESIDENTIAL))
    else:
        kind = PropertyKind.HOUSE
    smallest, largest = AREAS[kind]
    area = round(rng.uniform(smallest, largest), 1)
    return Property(_cadastral_number(rng, address), kind, address, owner_iin, area)


def _cadastral_number(rng: random.Random, address: Address) -> str:
    region = region_by_code(address.region).cadastre_code
    plot = f"{region:02d}:{rng.randint(1, 999):03d}:{rng.randint(1, 999):03d}:{rng.randint(1, 9999)}"
    return f"{plot}:{rng.randint(1, 9)}/{address.apartment}" if address.apartment is not None else plot


def _address_words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold().replace("ё", "е"))
