"""Recording and reading who saw a citizen's data (`access_record`, called by the back office, the API and the
admin), and the changes accounts make to their own set-up (`audit_event_record`)."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from services.accounts.models import User
from services.audit.models import AccessRecord, AuditAction, AuditEvent, Purpose
from services.workflow.models import ServiceRequest
from services.workflow.states import Channel


def access_record(
    *, user: User, request: ServiceRequest, purpose: Purpose, channel: Channel, detail: str = ""
) -> AccessRecord | None:
    """Record that `user` opened or acted on `request` for `purpose`.

    Nothing is recorded when the citizen looks at their own request: the record is of others.
    """
    if user.pk == request.citizen_id:
        return None
    record = _access(user=user, request=request, purpose=purpose, channel=channel, detail=detail, now=timezone.now())
    record.save(force_insert=True)
    return record


def access_records_bulk(
    *, user: User, requests: Iterable[ServiceRequest], purpose: Purpose, channel: Channel, detail: str = ""
) -> list[AccessRecord]:
    """Record that `user` read each of `requests` (a page of a list) for `purpose`, in one statement.

    As `access_record`, nothing is recorded for the user's own requests; with none left, no query is made.
    """
    now = timezone.now()
    records = [
        _access(user=user, request=request, purpose=purpose, channel=channel, detail=detail, now=now)
        for request in requests
        if request.citizen_id != user.pk
    ]
    return AccessRecord.objects.bulk_create(records) if records else []


def _access(
    *, user: User, request: ServiceRequest, purpose: Purpose, channel: Channel, detail: str, now: datetime
) -> AccessRecord:
    return AccessRecord(
        user=user,
        request=request,
        purpose=purpose,
        channel=channel,
        agency_id=user.agency_id,
        detail=detail[:100],
        created_at=now,
    )


def access_records_for_citizen(*, request: ServiceRequest) -> QuerySet[AccessRecord]:
    """The request's access records, newest first, with the person and agency for the citizen's page."""
    return AccessRecord.objects.filter(request=request).select_related("user", "agency").order_by("-created_at")


def access_record_in_admin(*, user: User, request_id: str | int) -> AccessRecord | None:
    """Record that an administrator opened a request in the admin (nothing for an id that does not exist)."""
    request = ServiceRequest.objects.filter(pk=request_id).first() if str(request_id).isdigit() else None
    if request is None:
        return None
    return access_record(
        user=user, request=request, purpose=Purpose.VIEWED_REQUEST, channel=Channel.WEB, detail="admin"
    )


def audit_event_record(*, user: User, action: AuditAction, target: str, detail: str = "") -> AuditEvent:
    """Record that `user` made a change to their own set-up (`target` names what, `detail` adds a line)."""
    return AuditEvent.objects.create(
        user=user, action=action, target=target[:100], detail=detail[:300], created_at=timezone.now()
    )
