"""Files chosen on a form page, stored before the page's answers are saved."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from services.attachments.models import Purpose
from services.attachments.service import attachment_upload
from services.catalogue.forms import file_fields
from services.workflow.models import ServiceRequest


def form_files_upload(request: HttpRequest, draft: ServiceRequest, typed: dict[str, str]) -> dict[str, list[str]]:
    """Store the files chosen on the page; each file question's answer becomes its new file's id.

    A question with no new file keeps the id the page carried. Returns the refusals, per question.
    """
    refused: dict[str, list[str]] = {}
    for name in set(file_fields(draft.form_version.schema)) & set(typed):
        upload = request.FILES.get(name)
        if upload is None:
            continue
        try:
            attachment = attachment_upload(
                request=draft, user=request.user, file=upload, purpose=Purpose.FORM, field=name
            )
        except ValidationError as refusal:
            refused[name] = refusal.messages
        else:
            typed[name] = str(attachment.public_id)
    return refused
