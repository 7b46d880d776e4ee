"""What the confirmation page tells a citizen happens after they submit."""

from datetime import timedelta

from django.utils.dateformat import format as format_date
from django.utils.translation import gettext, ngettext

from portal.apply.questions import DATE_FORMAT
from portal.formatting import duration_text
from services.catalogue.models import DecisionMode
from services.workflow.models import ServiceRequest


def what_happens_next(request: ServiceRequest) -> list[str]:
    """Paragraphs for the confirmation page: who decides, how soon, and the legal deadline."""
    service = request.service
    by_officer = _officer_deadline(service.legal_deadline_days, request)
    if service.decision_mode == DecisionMode.OFFICER:
        return [by_officer]
    automatic = (
        gettext("Your request is checked automatically against the state records.")
        + " "
        + _usually_within(service.service_target)
    )
    if service.decision_mode == DecisionMode.AUTOMATIC:
        return [automatic, _legal_deadline(service.legal_deadline_days, request)]
    return [automatic, gettext("If an officer needs to look at it:") + " " + by_officer]


def _officer_deadline(days: int, request: ServiceRequest) -> str:
    return ngettext(
        "An officer will decide within %(days)d working day, by %(deadline)s.",
        "An officer will decide within %(days)d working days, by %(deadline)s.",
        days,
    ) % {"days": days, "deadline": _deadline(request)}


def _legal_deadline(days: int, request: ServiceRequest) -> str:
    return ngettext(
        "By law the decision is due within %(days)d working day, by %(deadline)s.",
        "By law the decision is due within %(days)d working days, by %(deadline)s.",
        days,
    ) % {"days": days, "deadline": _deadline(request)}


def _deadline(request: ServiceRequest) -> str:
    return format_date(request.deadline, DATE_FORMAT) if request.deadline else ""


def _usually_within(target: timedelta) -> str:
    return gettext("You usually get the result within %(duration)s.") % {"duration": duration_text(target)}
