import pytest

from services.registries.generation import SNAPSHOT_DATE
from services.registries.population import age_on, person
from tests.services.registries.samples import random_iins


@pytest.fixture(scope="session")
def many_iins():
    return random_iins(5000, seed=2026)


@pytest.fixture(scope="session")
def adult_iins(many_iins):
    return [iin for iin in many_iins if age_on(person(iin), SNAPSHOT_DATE) >= 18]
