"""Assisted filing: a clerk at a service counter files a request for a citizen identified by IIN."""

from django.db import transaction
from django.db.models import QuerySet

from services.accounts.iin import validate_iin
from services.accounts.models import User
from services.catalogue.models import Service
from services.registries.population import person
from services.workflow.models import ServiceRequest
from services.workflow.service import draft_start
from services.workflow.states import Channel, State


def assisted_citizen(*, iin: str) -> User:
    """The citizen with this IIN; a person without an account gets one with no password (they may sign up
    later), with the name, phone and email the population register holds, so the portal's messages reach them."""
    validate_iin(iin)
    with transaction.atomic():
        citizen = User.objects.filter(iin=iin).first()
        if citizen is None:
            record = person(iin)
            registered = (
                {"first_name": record.first_name, "last_name": record.last_name, "phone": record.phone}
                if record
                else {}
            )
            citizen = User.objects.create_user(iin=iin, email=record.email if record else "", **registered)
        return citizen


def assisted_draft_start(*, clerk: User, iin: str, service: Service) -> ServiceRequest:
    """Open a draft for the citizen with `iin`, filed by `clerk` in the assisted channel.

    The clerk then fills it in with `draft_complete`; the request records them in `filed_by`, so
    they may not decide it later (segregation of duties, in the workflow).
    """
    citizen = assisted_citizen(iin=iin)
    return draft_start(citizen=citizen, service=service, channel=Channel.ASSISTED, filed_by=clerk)


def assisted_draft(*, clerk: User, reference: str) -> ServiceRequest:
    """A draft the clerk opened and has not submitted yet; DoesNotExist for any other."""
    return ServiceRequest.objects.select_related("service", "citizen", "form_version").get(
        reference=reference, filed_by=clerk, state=State.DRAFT
    )


def assisted_services() -> QuerySet[Service]:
    """The services a counter files: every active service in the catalogue."""
    return Service.objects.filter(active=True).select_related("agency").order_by("code")
