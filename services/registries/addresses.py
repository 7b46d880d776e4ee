"""Addresses for the registries: a locality of a region, a street, a building and maybe a flat."""

import random

from services.registries.records import Address
from services.registries.regions import Region, draw_region

STREETS = (
    "ул. Абая", "пр. Республики", "ул. Кенесары", "ул. Толе би", "ул. Сейфуллина", "ул. Жибек жолы",
    "ул. Пушкина", "ул. Ауэзова", "ул. Желтоксан", "ул. Байтурсынова", "ул. Гоголя", "ул. Сатпаева",
    "ул. Богенбай батыра", "ул. Момышулы", "ул. Жамбыла", "пр. Тауелсиздик", "ул. Достык", "ул. Мира",
    "ул. Гагарина", "ул. Чехова", "ул. Школьная", "ул. Набережная", "ул. Бейбитшилик", "ул. Кабанбай батыра",
    "ул. Майлина", "ул. Алтынсарина", "ул. Кунаева", "ул. Шевченко",
)  # fmt: skip
# Share of a region's people living in its administrative centre (the first locality).
CENTRE_SHARE = 0.6
# Share of homes that are flats: most in towns, few in villages.
FLAT_SHARE_TOWN = 0.8
FLAT_SHARE_VILLAGE = 0.1


def random_address(rng: random.Random, *, region: Region | None = None) -> Address:
    """A home address in `region`, or in a region drawn by population when none is given."""
    region = region or draw_region(rng)
    if region.is_city or rng.random() < CENTRE_SHARE:
        locality = region.localities[0]
    else:
        locality = rng.choice(region.localities[1:])
    street = rng.choice(STREETS)
    flat_share = FLAT_SHARE_VILLAGE if locality.startswith("с.") else FLAT_SHARE_TOWN
    if rng.random() < flat_share:
        return Address(region.code, locality, street, str(rng.randint(1, 120)), rng.randint(1, 240))
    return Address(region.code, locality, street, str(rng.randint(1, 300)))
