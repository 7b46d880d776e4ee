"""Building requests with a history, as the workflow would have left them."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from services.attachments.models import Attachment
from services.workflow.models import RequestEvent
from services.workflow.states import ActorKind, Channel
from tests.uploads import PDF


def add_event(request, action, *, from_state, to_state, actor_kind=ActorKind.SYSTEM, payload=None, minutes=0):
    """Append an event row the way `transition` writes it (history is only ever appended)."""
    request.event_count += 1
    request.save(update_fields=["event_count"])
    return RequestEvent.objects.create(
        request=request,
        sequence=request.event_count,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor_kind=actor_kind,
        channel=Channel.WEB if actor_kind == ActorKind.CITIZEN else Channel.SYSTEM,
        created_at=timezone.now() - timedelta(days=1) + timedelta(minutes=minutes),
        payload=payload or {},
    )


def detail_url(request):
    return f"/requests/{request.reference}/"


def html(response):
    return response.content.decode()


def attach(request, name="scan.pdf", *, purpose="response", field=""):
    """A PDF stored for the request as if its citizen had uploaded it."""
    attachment = Attachment(
        request=request,
        uploaded_by=request.citizen,
        purpose=purpose,
        field=field,
        original_name=name,
        size=len(PDF),
        sha256="0" * 64,
        content_type="application/pdf",
    )
    attachment.file.save("ignored", ContentFile(PDF), save=False)
    attachment.save()
    return attachment
