"""Uploading a document to a request, and answering an information request with documents.

A file is accepted only from the request's citizen (or, for the form's documents, from the clerk
filing the draft for them at a counter), while the request can take it (a draft for the form's
documents, an open information request for an answer), and only if its bytes are a PDF,
PNG or JPEG no larger than UPLOAD_MAX_BYTES: recognised by their signature, then parsed
(content.py); the size is also enforced while the upload streams in (upload_handlers.py). It is
stored under a generated name in MEDIA_ROOT; the name it came with is kept for display only and may
not contain folders.
"""

import hashlib
import unicodedata
from collections.abc import Sequence
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from services.accounts.models import User
from services.attachments.content import content_check
from services.attachments.models import Attachment, Purpose
from services.catalogue.forms import file_fields
from services.workflow.models import ServiceRequest
from services.workflow.service import request_respond
from services.workflow.states import Channel, State
from services.workflow.transitions import NotPermitted

# The name extensions each accepted type may have; a file may also come with no extension.
ACCEPTED = {"application/pdf": {"pdf"}, "image/png": {"png"}, "image/jpeg": {"jpg", "jpeg", "jpe", "jfif"}}
# The state a request must be in to take a file of each purpose.
OPEN_FOR = {Purpose.FORM: State.DRAFT, Purpose.RESPONSE: State.INFO_REQUESTED}
HEADER_BYTES = 262  # enough for `filetype` to recognise every accepted type


def attachment_upload(
    *, request: ServiceRequest, user: User, file: File, purpose: Purpose, field: str = ""
) -> Attachment:
    """Check and store one uploaded file for the request; `field` names the form question it answers.

    Raises NotPermitted for anyone but the request's citizen or the clerk filing its draft, and
    ValidationError, with a message in the active language, for a file that is refused; nothing is
    stored then.
    """
    if not _may_upload(user, request, purpose):
        raise NotPermitted(gettext("You may not do this on this request."))
    _check_open(request, purpose, field)
    name = display_name(file.name or "")
    content_type = _checked_content_type(file, name)
    attachment = Attachment(
        request=request,
        uploaded_by=user,
        purpose=purpose,
        field=field,
        original_name=name,
        size=file.size,
        sha256=_sha256(file),
        content_type=content_type,
    )
    attachment.file.save(attachment.public_id.hex, file, save=False)
    try:
        attachment.save()
    except BaseException:
        attachment.file.delete(save=False)
        raise
    if purpose == Purpose.FORM:
        form_files_unused_purge(request=request, field=field, keep=attachment)
    return attachment


def form_files_unused_purge(
    *, request: ServiceRequest, field: str | None = None, keep: Attachment | None = None
) -> int:
    """Delete the form's files (of one question, when `field` is given) that no saved answer names.

    A new file for a question replaces the ones uploaded for it before, except the saved answer: the
    citizen may still leave the page without saving. Once the request is submitted its answers are
    final, and every file they do not name goes. Stored files are removed after the commit.
    """
    named = {str(request.form_data.get(name)) for name in file_fields(request.form_version.schema)}
    unused = [
        attachment
        for attachment in Attachment.objects.filter(request=request, purpose=Purpose.FORM)
        if str(attachment.public_id) not in named and attachment != keep and field in (None, attachment.field)
    ]
    for attachment in unused:
        attachment.delete()
        transaction.on_commit(lambda file=attachment.file: file.delete(save=False))
    return len(unused)


def request_respond_with_attachments(
    *, request: ServiceRequest, user: User, message: str, files: Sequence[File], channel: Channel = Channel.WEB
) -> ServiceRequest:
    """Answer an information request with text and documents; the answer's event lists the documents.

    All or nothing: a refused file (ValidationError), an empty answer (FormInvalid) or a request that
    is no longer waiting (TransitionNotAllowed) leaves no file stored.
    """
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            for file in files:
                stored.append(attachment_upload(request=request, user=user, file=file, purpose=Purpose.RESPONSE))
            return request_respond(
                request=request,
                user=user,
                message=message,
                attachments=[str(attachment.public_id) for attachment in stored],
                channel=channel,
            )
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise


def display_name(name: str) -> str:
    """The name to show: NFC, without control characters, at most 255 characters.

    Raises ValidationError for a name with folders in it ("../", "a/b", "C:\\"): such a name is
    never stored, not even for display.
    """
    if "/" in name or "\\" in name or name.strip() in ("", ".", ".."):
        raise ValidationError(
            gettext("The file name must not contain folder names or “..”. Rename the file and upload it again."),
            code="path",
        )
    name = unicodedata.normalize("NFC", name)
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()
    path = PurePosixPath(name)
    return path.stem[: 255 - len(path.suffix)] + path.suffix if len(name) > 255 else name


def _may_upload(user: User, request: ServiceRequest, purpose: Purpose) -> bool:
    """The citizen; or the clerk who opened the draft at a counter, scanning the citizen's papers."""
    filing_clerk = user.pk == request.filed_by_id and request.channel == Channel.ASSISTED
    return user.pk == request.citizen_id or (filing_clerk and purpose == Purpose.FORM)


def _check_open(request: ServiceRequest, purpose: Purpose, field: str) -> None:
    if request.state != OPEN_FOR[purpose]:
        raise ValidationError(gettext("Documents can no longer be added to this request."), code="closed")
    if purpose == Purpose.FORM and field not in file_fields(request.form_version.schema):
        raise ValidationError(gettext("This form does not ask for a document here."), code="field")
    if request.attachments.count() >= settings.UPLOAD_MAX_FILES_PER_REQUEST:
        raise ValidationError(gettext("You have uploaded too many files to this request."), code="count")


def _checked_content_type(file: File, name: str) -> str:
    """The type the file's bytes are, if accepted and consistent with its name; ValidationError otherwise."""
    if file.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            gettext("“%(name)s” is larger than %(limit)s. Upload a smaller file.")
            % {"name": name, "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="size",
        )
    if not file.size:
        raise ValidationError(gettext("“%(name)s” is empty.") % {"name": name}, code="empty")
    file.seek(0)
    kind = filetype.guess(file.read(HEADER_BYTES))
    file.seek(0)
    if kind is None or kind.mime not in ACCEPTED:
        raise ValidationError(
            gettext("“%(name)s” is not a PDF, PNG or JPEG file. Upload a scan or a photo in one of these formats.")
            % {"name": name},
            code="type",
        )
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    if extension and extension not in ACCEPTED[kind.mime]:
        raise ValidationError(
            gettext("The content of “%(name)s” does not match its name: it is a %(kind)s file.")
            % {"name": name, "kind": kind.extension.upper()},
            code="mismatch",
        )
    content_check(file, mime=kind.mime, name=name)
    return kind.mime


def _sha256(file: File) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
