"""A third party's consent (the owner of an address), given or refused with the code sent by SMS."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.processing.models import ConsentDecision, ConsentRequest
from services.workflow.models import ServiceRequest
from services.workflow.states import Action, Channel, State
from services.workflow.transitions import WorkflowError, transition

MAX_WRONG_CODES = 5


class ConsentError(WorkflowError):
    """The answer was not accepted; the message says why."""


def request_awaiting_consent(*, reference: str) -> ServiceRequest | None:
    """The request with this reference if it waits for a third party's consent; None otherwise (or unknown)."""
    return ServiceRequest.objects.filter(reference=reference, state=State.AWAITING_CONSENT).first()


def consent_answer(*, request: ServiceRequest, owner_iin: str, code: str, given: bool) -> ServiceRequest:
    """Record the owner's answer; the request then goes back to its checks, which decide."""
    with transaction.atomic():
        consent = ConsentRequest.objects.select_for_update().filter(request=request).first()
        _check_open(consent)
        if owner_iin == consent.owner_iin and secrets.compare_digest(code, consent.code):
            consent.decision = ConsentDecision.GIVEN if given else ConsentDecision.REFUSED
            consent.decided_at = timezone.now()
            consent.save(update_fields=["decision", "decided_at"])
            return transition(
                request=request,
                action=Action.CONSENT_ANSWERED,
                user=None,
                channel=Channel.SYSTEM,
                payload={"consent": consent.decision},
            )
        consent.wrong_codes += 1  # committed: the count must survive the refusal below
        consent.save(update_fields=["wrong_codes"])
    raise ConsentError(_("The IIN or the code is not right."))


def _check_open(consent: ConsentRequest | None) -> None:
    if consent is None or consent.request.state != State.AWAITING_CONSENT:
        raise ConsentError(_("This request is not waiting for your consent."))
    if consent.decision != ConsentDecision.PENDING or consent.expires_at <= timezone.now():
        raise ConsentError(_("The time to answer has run out."))
    if consent.wrong_codes >= MAX_WRONG_CODES:
        raise ConsentError(_("Too many wrong codes: the request can no longer be answered."))
