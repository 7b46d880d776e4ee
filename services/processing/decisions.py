"""What happens after "submit": checks, then a decision by the service's decision mode.

Runs as the "process" side effect (a Celery task), inside the outbox row's transaction, so a
crash anywhere leaves nothing half done and the retry starts again from the same state.
"""

from services.catalogue.models import DecisionMode, Service
from services.i18n import pick
from services.processing.checks import checks_run
from services.processing.models import CheckOutcome, CheckResult, ConsentRequest
from services.workflow.models import ServiceRequest
from services.workflow.states import Action, Channel, State
from services.workflow.transitions import transition


def request_process(*, request: ServiceRequest) -> ServiceRequest:
    """Start the checks of a submitted request and take the decision they allow."""
    if request.state == State.SUBMITTED:
        request = _system(request, Action.START_CHECKS)
    if request.state != State.CHECKING:
        return request  # withdrawn, or already decided by an earlier run
    results = checks_run(request)
    return _decide(request, results)


def request_fail(*, request: ServiceRequest, reason: str) -> ServiceRequest:
    """Automated processing failed for good: end the request in `failed`, with the reason recorded."""
    request.refresh_from_db()
    if request.state not in (State.SUBMITTED, State.CHECKING):
        return request
    return _system(request, Action.FAIL, reason=reason)


def _decide(request: ServiceRequest, results: list[CheckResult]) -> ServiceRequest:
    outcomes = {result.outcome for result in results}
    mode = request.service.decision_mode
    if CheckOutcome.WAITING in outcomes:
        return _await_consent(request)
    failed = [result for result in results if result.outcome == CheckOutcome.FAILED]
    if failed and mode == DecisionMode.AUTOMATIC:
        ground = failed[0].refusal_ground
        return _system(
            request,
            Action.REJECT,
            reason=refusal_ground_text(request.service, ground, request.language),
            payload={"refusal_ground": ground, "check": failed[0].check_code},
        )
    if failed or CheckOutcome.UNDECIDED in outcomes or mode == DecisionMode.OFFICER:
        return _system(request, Action.ROUTE_TO_REVIEW)
    return _system(request, Action.APPROVE)


def _await_consent(request: ServiceRequest) -> ServiceRequest:
    consent = ConsentRequest.objects.get(request=request)
    payload = {
        "owner_phone": consent.owner_phone,
        "consent_code": consent.code,
        "expires_at": consent.expires_at.isoformat(),
    }
    return _system(request, Action.AWAIT_CONSENT, payload=payload)


def refusal_ground_text(service: Service, code: str, language: str) -> str:
    """The catalogue's wording of a ground for refusal, in `language`."""
    for ground in service.refusal_grounds:
        if ground["code"] == code:
            return pick(ground["text"], language)
    return code


def _system(request: ServiceRequest, action: Action, **kwargs: object) -> ServiceRequest:
    return transition(request=request, action=action, user=None, channel=Channel.SYSTEM, **kwargs)
