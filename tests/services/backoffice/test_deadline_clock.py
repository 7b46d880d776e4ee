"""The deadline clock: time waiting for the citizen's answer does not count against the agency."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from services.backoffice.selectors import DeadlineStatus, deadline_status, queue_for_agency, working_days_left
from services.workflow.officer import request_info
from services.workflow.service import request_respond
from services.workflow.states import Channel
from tests.factories import ServiceFactory, ServiceRequestFactory, StaffFactory

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")


def _overdue(clerk) -> list[str]:
    return list(queue_for_agency(user=clerk, deadline=DeadlineStatus.OVERDUE).values_list("reference", flat=True))


def test_a_request_that_waited_five_working_days_for_the_citizen_is_not_five_days_late():
    service = ServiceFactory()
    clerk = StaffFactory(agency=service.agency)
    # Monday 2 February 2026; the deadline is Wednesday 4 February.
    with time_machine.travel(datetime(2026, 2, 2, 10, tzinfo=ALMATY), tick=False):
        request = ServiceRequestFactory(service=service, in_review=True, deadline=date(2026, 2, 4))
        request = request_info(request=request, user=clerk, message="Send the lease.", channel=Channel.WEB)
        assert working_days_left(request) == 2
    # Monday 9 February: five working days later, past the old deadline, still waiting for the answer.
    with time_machine.travel(datetime(2026, 2, 9, 9, tzinfo=ALMATY), tick=False):
        request.refresh_from_db()
        assert deadline_status(request) == DeadlineStatus.ON_TRACK
        assert working_days_left(request) == 2
        assert _overdue(clerk) == []
        request = request_respond(request=request, user=request.citizen, message="Attached.")
        assert request.deadline == date(2026, 2, 11)  # moved on by the five working days waited
        assert deadline_status(request) == DeadlineStatus.DUE_SOON
        assert working_days_left(request) == 2
        assert _overdue(clerk) == []
    # Without the pause the same request would have been five working days late.
    with time_machine.travel(datetime(2026, 2, 12, 9, tzinfo=ALMATY), tick=False):
        request.refresh_from_db()
        assert deadline_status(request) == DeadlineStatus.OVERDUE
        assert working_days_left(request) == -1
        assert _overdue(clerk) == [request.reference]


def test_a_request_already_late_when_paused_stays_overdue():
    service = ServiceFactory()
    clerk = StaffFactory(agency=service.agency)
    with time_machine.travel(datetime(2026, 2, 6, 10, tzinfo=ALMATY), tick=False):
        request = ServiceRequestFactory(service=service, in_review=True, deadline=date(2026, 2, 4))
        request = request_info(request=request, user=clerk, message="Send the lease.", channel=Channel.WEB)
        assert deadline_status(request) == DeadlineStatus.OVERDUE
        assert _overdue(clerk) == [request.reference]
