from datetime import date, timedelta

import pytest

from services.metrics.service import metrics_catch_up
from services.workflow.states import Action, Channel
from tests.factories import ServiceFactory, StaffFactory, UserFactory
from tests.otp import verified_client
from tests.services.metrics.histories import decided_by_officer, issued_automatically, start

# A quiet fortnight: no public holidays in Kazakhstan between these dates.
MONDAY = date(2026, 2, 2)
WEDNESDAY = MONDAY + timedelta(days=2)


@pytest.fixture
def service(db):
    return ServiceFactory(code="certificate", name_en="Certificate of address", legal_deadline_days=5)


@pytest.fixture
def clerk(service):
    return StaffFactory(agency=service.agency)


@pytest.fixture
def as_clerk(clerk):
    return verified_client(clerk)


@pytest.fixture
def history(service, clerk):
    """Four requests started on a Monday: one issued on the web, one through the API, one refused, one a draft."""
    issued_automatically(service, UserFactory(), MONDAY)
    issued_automatically(service, UserFactory(), MONDAY, Channel.API)
    decided_by_officer(service, UserFactory(), clerk, Action.REJECT, MONDAY, WEDNESDAY)
    start(service, UserFactory(), MONDAY)
    metrics_catch_up()
