"""satisfaction_record: the citizen, at an end, once; and the figures the KPIs read."""

import pytest
from django.core.exceptions import ValidationError

from services.feedback.models import SatisfactionAnswer
from services.feedback.service import satisfaction_record, satisfaction_summary
from services.workflow.states import State
from services.workflow.transitions import NotPermitted
from tests.factories import ServiceRequestFactory, UserFactory

pytestmark = pytest.mark.django_db

ENDS = [State.ISSUED, State.REJECTED, State.EXPIRED, State.FAILED, State.WITHDRAWN]


@pytest.mark.parametrize("end", ENDS)
def test_the_citizen_answers_once_at_every_end(end):
    request = ServiceRequestFactory(submitted=True, state=end)
    answer = satisfaction_record(request=request, user=request.citizen, rating=4)
    assert (answer.rating, answer.end_state, answer.service_id) == (4, end, request.service_id)
    with pytest.raises(ValidationError, match="already answered"):
        satisfaction_record(request=request, user=request.citizen, rating=5)
    assert SatisfactionAnswer.objects.get().rating == 4


@pytest.mark.parametrize("state", [State.DRAFT, State.ABANDONED, State.SUBMITTED, State.IN_REVIEW, State.APPROVED])
def test_not_before_the_end_nor_for_an_abandoned_draft(state):
    request = ServiceRequestFactory(state=state)
    with pytest.raises(ValidationError, match="once your request has ended"):
        satisfaction_record(request=request, user=request.citizen, rating=3)


def test_only_the_citizen_and_only_on_the_scale():
    request = ServiceRequestFactory(submitted=True, state=State.ISSUED)
    with pytest.raises(NotPermitted):
        satisfaction_record(request=request, user=UserFactory(), rating=5)
    for rating in (0, 6, -1):
        with pytest.raises(ValidationError, match="Choose how satisfied"):
            satisfaction_record(request=request, user=request.citizen, rating=rating)
    assert not SatisfactionAnswer.objects.exists()


def test_the_summary_counts_levels_the_share_satisfied_and_the_score(django_assert_num_queries):
    for rating in (1, 4, 5, 5):
        request = ServiceRequestFactory(submitted=True, state=State.ISSUED)
        satisfaction_record(request=request, user=request.citizen, rating=rating)
    with django_assert_num_queries(1):
        summary = satisfaction_summary()
    assert summary.per_level == {1: 1, 2: 0, 3: 0, 4: 1, 5: 2}
    assert summary.count == 4
    assert summary.share_satisfied == 0.75
    assert summary.score == pytest.approx(((1 + 4 + 5 + 5) / 4 - 1) / 4)
    empty = satisfaction_summary(answers=SatisfactionAnswer.objects.none())
    assert (empty.count, empty.share_satisfied, empty.score) == (0, None, None)
