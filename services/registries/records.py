"""The records the simulated registries return. Frozen: a caller cannot change a registry."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.registries.regions import region_by_code


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class Address:
    region: str  # a region code of services.registries.regions, as the forms' region fields hold it
    locality: str  # as written in an address: "г. Кокшетау", "с. Шиели"
    street: str  # "ул. Абая"
    building: str  # "12", "12А"
    apartment: int | None = None  # None for a house

    @property
    def text(self) -> str:
        """The address on one line, as the registries write it (Russian, region first outside the big cities)."""
        region = region_by_code(self.region)
        parts = [] if region.is_city else [region.name_ru]
        parts += [self.locality, self.street, f"д. {self.building}"]
        if self.apartment is not None:
            parts.append(f"кв. {self.apartment}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Person:
    """An entry of the population registry (the state database of individuals)."""

    iin: str
    last_name: str
    first_name: str
    patronymic: str  # empty for people who have none
    birth_date: date
    sex: Sex
    address: Address  # the registered place of residence
    phone: str  # "+77" and 9 digits
    email: str  # may be empty
    spouse_iin: str | None
    children_iins: tuple[str, ...]

    @property
    def full_name(self) -> str:
        """Last name, first name and patronymic, as on an identity card."""
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)


class CriminalRecordKind(StrEnum):
    CONVICTION = "conviction"
    # Something in the archives may concern this person (a namesake, an undigitised file): an
    # officer must look before a certificate can be issued.
    NEEDS_MANUAL_CHECK = "needs_manual_check"


@dataclass(frozen=True)
class CriminalRecord:
    iin: str
    kind: CriminalRecordKind
    recorded_on: date
    article: str  # article of the Criminal Code; empty for a manual-check flag
    summary: str  # the registry's own wording (Russian)

    @property
    def needs_manual_check(self) -> bool:
        """True for a flag an officer must look into rather than a conviction."""
        return self.kind == CriminalRecordKind.NEEDS_MANUAL_CHECK


class PropertyKind(StrEnum):
    """The values of the real-estate certificate's `property_type` field."""

    APARTMENT = "apartment"
    HOUSE = "house"
    LAND = "land"
    NON_RESIDENTIAL = "non_residential"


@dataclass(frozen=True)
class Property:
    """A registered right of ownership in the legal cadastre."""

    cadastral_number: str
    kind: PropertyKind
    address: Address
    owner_iin: str
    area_sq_m: float


@dataclass(frozen=True)
class Entrepreneur:
    """A person registered as an individual entrepreneur, with what they owe in taxes."""

    iin: str
    registered_on: date
    activity_code: str  # five digits of the classification of economic activities (OKED)
    trade_name: str
    tax_arrears_kzt: int

    @property
    def has_tax_arrears(self) -> bool:
        """True when any tax is owed."""
        return self.tax_arrears_kzt > 0


@dataclass(frozen=True)
class Vehicle:
    vin: str
    make: str
    model: str
    year: int
    owner_iin: str | None  # None: not registered to anyone in Kazakhstan (new or imported)
    stolen: bool
    encumbered: bool  # under arrest or pledged

    @property
    def make_model(self) -> str:
        """Make and model in one string, as the vehicle registration form asks for it."""
        return f"{self.make} {self.model}"
