"""The register of vehicles (in production, the police's vehicle database), looked up by VIN.

The make comes from the VIN's manufacturer prefix when it is a known one and the year from its
model-year character, so a real-looking VIN gives a plausible car.
"""

import re
from datetime import date

from services.accounts.iin import make_iin
from services.registries.demo import DEMO_VEHICLES
from services.registries.generation import SNAPSHOT_DATE, random_date_between, registry_random
from services.registries.records import Vehicle

__all__ = ["Vehicle", "is_valid_vin", "vehicle"]

VIN_PATTERN = re.compile(r"[A-HJ-NPR-Z0-9]{17}")
REGISTERED_SHARE = 0.85
STOLEN_SHARE = 0.005
ENCUMBERED_SHARE = 0.02
OWNER_BIRTHS = (date(1950, 1, 1), date(2005, 12, 31))
FEMALE_OWNER_SHARE = 0.3
# Make -> (its share of the cars on the road, its common models).
MAKES = {
    "Toyota": (20, ("Camry", "Corolla", "Land Cruiser Prado", "RAV4")),
    "Hyundai": (15, ("Accent", "Elantra", "Tucson", "Creta")),
    "Lada": (14, ("Granta", "Vesta", "Niva Legend", "Largus")),
    "Kia": (9, ("Rio", "Sportage", "Cerato", "K5")),
    "Chevrolet": (9, ("Cobalt", "Nexia", "Onix", "Tracker")),
    "Volkswagen": (6, ("Polo", "Passat", "Tiguan")),
    "Mercedes-Benz": (4, ("E-Class", "C-Class", "Sprinter")),
    "Lexus": (3, ("RX", "LX", "ES")),
    "Nissan": (4, ("Almera", "X-Trail", "Qashqai")),
    "Skoda": (3, ("Octavia", "Rapid", "Kodiaq")),
    "BMW": (2, ("5 Series", "X5")),
    "Chery": (5, ("Tiggo 7 Pro", "Tiggo 4", "Arrizo 8")),
    "Haval": (4, ("Jolion", "H6", "Dargo")),
}
# World manufacturer identifiers (the VIN's first three characters) -> make.
WMI_MAKES = {
    "JTD": "Toyota", "JTE": "Toyota", "JTM": "Toyota", "JTN": "Toyota", "JTH": "Lexus", "JTJ": "Lexus",
    "KMH": "Hyundai", "KNA": "Kia", "XTA": "Lada", "WVW": "Volkswagen", "TMB": "Skoda", "WDB": "Mercedes-Benz",
    "WDD": "Mercedes-Benz", "WBA": "BMW", "JN1": "Nissan", "LVV": "Chery", "XWB": "Chevrolet",
}  # fmt: skip
# The tenth character gives the model year, repeating every 30 years from 1980.
MODEL_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
OLDEST_YEAR = 1995


def is_valid_vin(vin: str) -> bool:
    """17 characters, digits and capital letters other than I, O and Q."""
    return VIN_PATTERN.fullmatch(vin) is not None


def vehicle(vin: str) -> Vehicle | None:
    """The registry's record for `vin`; None when it is not a well-formed VIN."""
    if not is_valid_vin(vin):
        return None
    if vin in DEMO_VEHICLES:
        return DEMO_VEHICLES[vin]
    rng = registry_random("vehicles", vin)
    make = WMI_MAKES.get(vin[:3]) or rng.choices(tuple(MAKES), weights=[w for w, _ in MAKES.values()])[0]
    model = rng.choice(MAKES[make][1])
    year = _model_year(vin[9]) or rng.randint(OLDEST_YEAR, SNAPSHOT_DATE.year)
    owner_iin = None
    if rng.random() < REGISTERED_SHARE:
        owner_birth = random_date_between(rng, *OWNER_BIRTHS)
        owner_iin = make_iin(owner_birth, female=rng.random() < FEMALE_OWNER_SHARE, serial=rng.randrange(10_000))
    stolen = rng.random() < STOLEN_SHARE
    encumbered = rng.random() < ENCUMBERED_SHARE
    return Vehicle(vin, make, model, year, owner_iin, stolen=stolen, encumbered=encumbered)


def _model_year(code: str) -> int | None:
    position = MODEL_YEAR_CODES.find(code)
    if position < 0:
        return None
    later = 2010 + position
    return later if later <= SNAPSHOT_DATE.year else 1980 + position
