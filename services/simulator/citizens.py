"""Synthetic citizens: a region and an age band drawn from the population profile, then a valid IIN
whose population-register record lives in that region, and an account made by the real sign-up."""

import random
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from services.accounts.consent import CONSENT_VERSION
from services.accounts.iin import make_iin
from services.accounts.models import Language, User
from services.accounts.service import signup_confirm, signup_start
from services.notifications.sms import LocmemSmsBackend
from services.registries import population
from services.registries.records import Person
from services.registries.regions import REGIONS, Region
from services.simulator.profiles import AgeBand, Population

# Tries to find an IIN in the drawn region before giving up on it (Ulytau holds 1% of people).
MAX_TRIES = 2000
_CODE = re.compile(r"\b(\d{6})\b")


@dataclass(frozen=True)
class Citizen:
    person: Person
    region: Region
    age_band: AgeBand
    online: bool
    at_counter: bool  # files at a Public Service Centre counter instead of the web
    language: str


def citizen_draw(rng: random.Random, *, population_profile: Population, today: date) -> Citizen | None:
    """A citizen drawn with `rng`; None for someone offline who does not reach a counter (files nothing)."""
    region = rng.choices(REGIONS, weights=[region.population_millions for region in REGIONS])[0]
    band = rng.choices(population_profile.age_bands, weights=[band.share for band in population_profile.age_bands])[0]
    person = _person_in(rng, region, band, today)
    online = rng.random() < min(1.0, population_profile.internet[region.code] * band.internet)
    if online:
        at_counter = rng.random() < population_profile.counter_share_online
    elif rng.random() < population_profile.counter_reach[region.code]:
        at_counter = True
    else:
        return None
    language = rng.choices([Language.KAZAKH, Language.RUSSIAN, Language.ENGLISH], weights=[55, 43, 2])[0]
    return Citizen(person=person, region=region, age_band=band, online=online, at_counter=at_counter, language=language)


def _person_in(rng: random.Random, region: Region, band: AgeBand, today: date) -> Person:
    """A person of the register living in `region` and aged within `band` today, not yet a user."""
    for _ in range(MAX_TRIES):
        # Days of age well inside the band (a year is 365.25 days; the band holds full years).
        age_days = rng.randint(int(band.lowest_age * 365.25) + 2, int((band.highest_age + 1) * 365.25) - 2)
        iin = make_iin(today - timedelta(days=age_days), female=rng.random() < 0.52, serial=rng.randrange(10000))
        record = population.person(iin)
        in_region = record is not None and record.phone and record.address.region == region.code
        if in_region and not User.objects.filter(iin=iin).exists():
            return record
    raise LookupError(f"no free IIN found in {region.code} for {band.band}")


def citizen_sign_up(citizen: Citizen) -> User:
    """Create the citizen's account through the portal's sign-up, reading the code from the SMS sent."""
    verification = signup_start(
        iin=citizen.person.iin,
        email=citizen.person.email,
        password=secrets.token_urlsafe(16),
        preferred_language=citizen.language,
        consent_version=CONSENT_VERSION,
    )
    message = LocmemSmsBackend.outbox[-1]
    code = _CODE.search(message.text).group(1)
    LocmemSmsBackend.reset()
    return signup_confirm(verification_id=verification.pk, code=code)
