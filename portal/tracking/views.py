"""Tracking: "My requests", a request's page, withdrawing, answering an information request, the result.

The views translate HTTP to the workflow's functions and back. Every look-up names the signed-in
citizen, so another person's reference answers 404 whatever the method.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from services.accounts.models import User
from services.attachments.models import Attachment, Purpose
from services.attachments.selectors import attachment_for_viewer
from services.attachments.service import request_respond_with_attachments
from services.audit.service import access_records_for_citizen
from services.catalogue.forms import file_fields
from services.documents.models import ResultDocument
from services.feedback.models import Rating
from services.feedback.service import ASKED_AT, satisfaction_of, satisfaction_record
from services.workflow.models import RequestEvent, ServiceRequest
from services.workflow.service import request_withdraw
from services.workflow.states import FINAL, RULES, Action, State
from services.workflow.transitions import FormInvalid, TransitionNotAllowed
from services.working_days import local_date, working_days_between

# Officers' own events: the citizen's timeline leaves them out.
INTERNAL_ACTIONS = frozenset({Action.NOTE, Action.CLAIM, Action.REASSIGN, Action.ESCALATE, Action.REMIND})
# The states the citizen may act from, read from the workflow's one rule table.
WITHDRAWABLE = frozenset(source for action, source in RULES if action == Action.WITHDRAW)
RESPONDABLE = frozenset(source for action, source in RULES if action == Action.RESPOND)
# The events whose payload carries text for the citizen: the officer's question, the reason, the answer.
EVENT_TEXT = {Action.REQUEST_INFO: "message", Action.REJECT: "reason", Action.RESPOND: "message"}


@login_required
@require_GET
def tracking_list(request: HttpRequest) -> HttpResponse:
    """My requests: drafts to carry on with, and submitted requests, newest first."""
    own = ServiceRequest.objects.filter(citizen=request.user).select_related("service")
    context = {
        "drafts": own.filter(state=State.DRAFT).order_by("-updated_at"),
        "submitted": own.filter(submitted_at__isnull=False).order_by("-submitted_at"),
    }
    return render(request, "portal/tracking/list.html", context)


@login_required
@require_GET
def tracking_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The request's page: status, deadline, timeline, result, and what the citizen can do now."""
    return _detail_page(request, _own_request(request.user, reference))


@login_required
@require_http_methods(["GET", "POST"])
def tracking_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    """Withdraw the request, once the citizen has ticked the confirmation."""
    tracked = _own_request(request.user, reference)
    if request.method == "GET":
        return redirect("request_detail", reference=reference)
    if not request.POST.get("confirm"):
        error = gettext("Tick the box to confirm that you want to withdraw your request.")
        return _detail_page(request, tracked, withdraw_error=error)
    try:
        request_withdraw(request=tracked, user=request.user)
    except TransitionNotAllowed as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, gettext("Your request has been withdrawn."))
    return redirect("request_detail", reference=reference)


@login_required
@require_http_methods(["GET", "POST"])
def tracking_respond(request: HttpRequest, reference: str) -> HttpResponse:
    """Answer the officer's information request."""
    tracked = _own_request(request.user, reference)
    if request.method == "GET":
        return redirect("request_detail", reference=reference)
    message = request.POST.get("message", "")
    files = request.FILES.getlist("files")
    try:
        request_respond_with_attachments(request=tracked, user=request.user, message=message, files=files)
    except FormInvalid as invalid:
        return _detail_page(request, tracked, respond_errors=invalid.errors.get("message", []), message=message)
    except ValidationError as refused:
        return _detail_page(request, tracked, file_errors=refused.messages, message=message)
    except TransitionNotAllowed as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, gettext("Your answer has been sent to the officer."))
    return redirect("request_detail", reference=reference)


@login_required
@require_GET
def tracking_document(request: HttpRequest, reference: str) -> FileResponse:
    """The result PDF, to its citizen only, as a download that the browser must not sniff."""
    return result_document_download(_own_request(request.user, reference))


def result_document_download(tracked: ServiceRequest) -> FileResponse:
    """The request's result PDF as an attachment the browser must not sniff; 404 while there is none.

    The caller has checked that the reader may see the request (the pages and the API alike).
    """
    document = get_object_or_404(ResultDocument, request=tracked)
    return download(document.file, filename=f"{tracked.reference}.pdf", content_type="application/pdf")


@login_required
@require_GET
def tracking_attachment(request: HttpRequest, reference: str, public_id: uuid.UUID) -> FileResponse:
    """A file uploaded to the request, for its citizen only; 404 for anyone else. Staff open files in
    the back office, which records the access."""
    tracked = _own_request(request.user, reference)
    try:
        attachment = attachment_for_viewer(viewer=request.user, public_id=public_id, reference=tracked.reference)
    except Attachment.DoesNotExist as hidden:
        raise Http404("no such file") from hidden
    return download(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


@login_required
@require_http_methods(["GET", "POST"])
def tracking_satisfaction(request: HttpRequest, reference: str) -> HttpResponse:
    """Record how satisfied the citizen is with a request that has ended."""
    tracked = _own_request(request.user, reference)
    if request.method == "GET":
        return redirect("request_detail", reference=reference)
    try:
        satisfaction_record(request=tracked, user=request.user, rating=_rating(request.POST.get("rating")))
    except ValidationError as refused:
        return _detail_page(request, tracked, satisfaction_errors=refused.messages)
    return redirect("request_detail", reference=reference)


def _rating(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def download(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as a download the browser must not sniff or show inline; 404 if the file is gone."""
    try:
        opened = file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("the file is missing") from missing
    response = FileResponse(opened, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _own_request(citizen: User, reference: str) -> ServiceRequest:
    """The citizen's own request; 404 for anyone else's, so its existence is not revealed."""
    queryset = ServiceRequest.objects.select_related("service", "form_version", "result_document")
    return get_object_or_404(queryset, citizen=citizen, reference=reference)


def _timeline(tracked: ServiceRequest) -> QuerySet[RequestEvent]:
    return RequestEvent.objects.filter(request=tracked).exclude(action__in=INTERNAL_ACTIONS).order_by("sequence")


def _days_left(tracked: ServiceRequest) -> str:
    """Working days to the deadline, "overdue", or "" when there is nothing to count."""
    if tracked.deadline is None or tracked.state in FINAL or tracked.state == State.INFO_REQUESTED:
        return ""
    today = local_date(timezone.now())
    if tracked.deadline < today:
        return gettext("Overdue")
    days = working_days_between(today, tracked.deadline)
    if days == 0:
        return gettext("Due today")
    return ngettext("%(count)d working day left", "%(count)d working days left", days) % {"count": days}


def _form_files(tracked: ServiceRequest, attachments: dict[str, Attachment]) -> list[Attachment]:
    """The files the form's answers name (a file replaced on the form is no longer one of them)."""
    named = {str(tracked.form_data.get(name, "")) for name in file_fields(tracked.form_version.schema)}
    return [item for key, item in attachments.items() if key in named and item.purpose == Purpose.FORM]


def _detail_page(
    request: HttpRequest,
    tracked: ServiceRequest,
    *,
    withdraw_error: str = "",
    respond_errors: list[str] | None = None,
    file_errors: list[str] | None = None,
    satisfaction_errors: list[str] | None = None,
    message: str = "",
) -> HttpResponse:
    respond_errors, file_errors = respond_errors or [], file_errors or []
    satisfaction_errors = satisfaction_errors or []
    error_list = [("#message", text) for text in respond_errors] + [("#files", text) for text in file_errors]
    error_list += [("#rating", text) for text in satisfaction_errors]
    if withdraw_error:
        error_list.append(("#confirm", withdraw_error))
    attachments = {str(attachment.public_id): attachment for attachment in tracked.attachments.all()}
    events = [
        (
            event,
            event.payload.get(EVENT_TEXT.get(event.action, ""), ""),
            [attachments[key] for key in event.payload.get("attachments", []) if key in attachments],
        )
        for event in _timeline(tracked)
    ]
    context = {
        "service_request": tracked,
        "service": tracked.service,
        "state": State(tracked.state),
        "events": events,
        "days_left": _days_left(tracked),
        "clock_paused": tracked.state == State.INFO_REQUESTED,
        "document": getattr(tracked, "result_document", None),
        "can_withdraw": tracked.state in WITHDRAWABLE,
        "can_respond": tracked.state in RESPONDABLE,
        "error_list": error_list,
        "withdraw_error": withdraw_error,
        "respond_errors": respond_errors,
        "file_errors": file_errors,
        "upload_limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
        "message": message,
        "form_files": _form_files(tracked, attachments),
        "ask_satisfaction": tracked.state in ASKED_AT,
        "satisfaction": satisfaction_of(request=tracked),
        "ratings": Rating.choices,
        "satisfaction_errors": satisfaction_errors,
        "access_records": access_records_for_citizen(request=tracked),
    }
    return render(request, "portal/tracking/detail.html", context)
