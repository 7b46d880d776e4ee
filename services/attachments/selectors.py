"""Who may see an uploaded file, in one place: the pages of citizens and of the back office both ask here."""

import uuid

from django.db.models import Q, QuerySet

from services.accounts.models import User
from services.attachments.models import Attachment, Purpose
from services.catalogue.forms import file_fields
from services.workflow.models import ServiceRequest


def attachments_visible_to(*, viewer: User) -> QuerySet[Attachment]:
    """The files `viewer` may open: their own requests' files, and, for staff, the submitted
    requests of their agency's services."""
    if not viewer.is_authenticated:
        return Attachment.objects.none()
    allowed = Q(request__citizen=viewer)
    if viewer.staff_role and viewer.agency_id:
        allowed |= Q(request__service__agency_id=viewer.agency_id, request__submitted_at__isnull=False)
    return Attachment.objects.filter(allowed)


def attachment_for_viewer(*, viewer: User, public_id: uuid.UUID | str, reference: str | None = None) -> Attachment:
    """The file with this public id if `viewer` may open it (and it belongs to the request `reference`,
    when given); raises Attachment.DoesNotExist otherwise, so the caller answers 404 either way."""
    found = attachments_visible_to(viewer=viewer).select_related("request").filter(public_id=public_id)
    if reference is not None:
        found = found.filter(request__reference=reference)
    return found.get()


def form_attachment_ids(*, request: ServiceRequest) -> set[str]:
    """The ids of the files uploaded to the request's form: the only ids its file questions accept.

    A form without file questions, or a request not saved yet, has none (and no query is made)."""
    if request.pk is None or not file_fields(request.form_version.schema):
        return set()
    ids = Attachment.objects.filter(request=request, purpose=Purpose.FORM).values_list("public_id", flat=True)
    return {str(public_id) for public_id in ids}


def attachment_names(*, request: ServiceRequest) -> dict[str, str]:
    """Public id -> display name of every file of the request, for pages that list answers."""
    rows = Attachment.objects.filter(request=request).values_list("public_id", "original_name")
    return {str(public_id): name for public_id, name in rows}


def form_files_pending(*, request: ServiceRequest) -> dict[str, str]:
    """Question -> id of a file uploaded for it that its saved answer does not name yet.

    That is the newest file of the question, when the page was not saved with it: another file on the
    page was refused, or the citizen left. The page offers it again, so it is saved with the page.
    """
    newest: dict[str, str] = {}
    for field, public_id in Attachment.objects.filter(request=request, purpose=Purpose.FORM).values_list(
        "field", "public_id"
    ):  # oldest first (the model's ordering)
        newest[field] = str(public_id)
    return {field: public_id for field, public_id in newest.items() if str(request.form_data.get(field)) != public_id}
