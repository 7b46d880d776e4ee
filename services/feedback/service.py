"""Recording a citizen's satisfaction, and summing the answers up for the KPIs."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext

from services.accounts.models import User
from services.feedback.models import Rating, SatisfactionAnswer
from services.workflow.models import ServiceRequest
from services.workflow.states import FINAL, Channel, State
from services.workflow.transitions import NotPermitted

# Every end a submitted request can reach; an abandoned draft was never a request.
ASKED_AT = FINAL - {State.ABANDONED}
SATISFIED = frozenset({Rating.SATISFIED, Rating.VERY_SATISFIED})


def satisfaction_record(
    *, request: ServiceRequest, user: User, rating: int, channel: Channel = Channel.WEB
) -> SatisfactionAnswer:
    """Record the citizen's answer to "How satisfied are you?", once per request, at its end.

    Raises NotPermitted for anyone but the request's citizen, ValidationError (in the active
    language) for a rating off the scale, a request not at an end, or a second answer.
    """
    if user.pk != request.citizen_id:
        raise NotPermitted(gettext("You may not do this on this request."))
    if rating not in Rating.values:
        raise ValidationError(gettext("Choose how satisfied you are."), code="rating")
    if request.state not in ASKED_AT:
        message = gettext("You can tell us how satisfied you are once your request has ended.")
        raise ValidationError(message, code="open")
    try:
        with transaction.atomic():
            return SatisfactionAnswer.objects.create(
                request=request,
                service_id=request.service_id,
                citizen=user,
                rating=rating,
                end_state=request.state,
                channel=channel,
            )
    except IntegrityError as duplicate:
        raise ValidationError(gettext("You have already answered this question."), code="answered") from duplicate


def satisfaction_of(*, request: ServiceRequest) -> SatisfactionAnswer | None:
    """The citizen's answer for the request, if they gave one."""
    return SatisfactionAnswer.objects.filter(request=request).first()


@dataclass(frozen=True)
class SatisfactionSummary:
    """The answers counted per level, with the two KPI figures derived from them."""

    per_level: dict[int, int]

    @property
    def count(self) -> int:
        return sum(self.per_level.values())

    @property
    def share_satisfied(self) -> float | None:
        """Share answering satisfied or very satisfied, 0..1; None without answers."""
        return sum(self.per_level[level] for level in SATISFIED) / self.count if self.count else None

    @property
    def score(self) -> float | None:
        """(mean - 1) / 4: 0 when everyone is very dissatisfied, 1 when everyone is very satisfied."""
        if not self.count:
            return None
        mean = sum(level * number for level, number in self.per_level.items()) / self.count
        return (mean - 1) / 4


def satisfaction_summary(*, answers: QuerySet[SatisfactionAnswer] | None = None) -> SatisfactionSummary:
    """Count the answers (all, or a filtered queryset: one service, a period) per level, in one query."""
    answers = SatisfactionAnswer.objects.all() if answers is None else answers
    counted = dict(answers.order_by().values_list("rating").annotate(number=Count("pk")))
    return SatisfactionSummary(per_level={level: counted.get(level, 0) for level in Rating.values})
