import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _in_english():
    """Domain messages are matched in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield
