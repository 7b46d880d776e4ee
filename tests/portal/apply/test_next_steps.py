"""What the confirmation page says happens next, for each way a service is decided."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from portal.apply.next_steps import what_happens_next
from portal.formatting import duration_text
from services.catalogue.models import DecisionMode
from tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "minutes, text",
    [(10, "10 minutes"), (1, "1 minute"), (60, "1 hour"), (90, "1 hour 30 minutes"), (1440, "1 day"), (4320, "3 days")],
)
def test_a_service_target_is_said_in_days_hours_and_minutes(minutes, text):
    with translation.override("en"):
        assert duration_text(timedelta(minutes=minutes)) == text


@pytest.mark.parametrize(
    "mode, expected",
    [
        (DecisionMode.OFFICER, ["An officer will decide within 5 working days, by 09.03.2026."]),
        (
            DecisionMode.AUTOMATIC,
            [
                "Your request is checked automatically against the state records. "
                "You usually get the result within 10 minutes.",
                "By law the decision is due within 5 working days, by 09.03.2026.",
            ],
        ),
        (
            DecisionMode.AUTOMATIC_WITH_FALLBACK,
            [
                "Your request is checked automatically against the state records. "
                "You usually get the result within 10 minutes.",
                "If an officer needs to look at it: An officer will decide within 5 working days, by 09.03.2026.",
            ],
        ),
    ],
)
def test_who_decides_and_by_when(mode, expected):
    request = ServiceRequestFactory(submitted=True, deadline=date(2026, 3, 9), service__decision_mode=mode)
    with translation.override("en"):
        assert what_happens_next(request) == expected
