"""The back office: the staff login, the agency's queue, a request's page and the officers' actions.

The views translate HTTP to services.backoffice's selectors and services.workflow.officer's
functions and back. Every page is for verified agency staff (see `access.staff_required`), and a
request is looked up within the officer's own agency: another agency's reference answers 404.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from portal.accounts.views import _safe_next
from portal.apply.questions import form_answers
from portal.backoffice.access import staff_required
from portal.backoffice.authenticator import enrolment_begin
from portal.backoffice.forms import (
    ApproveForm,
    AssigneeForm,
    MessageForm,
    NoteForm,
    QueueFilterForm,
    RejectForm,
    StaffLoginForm,
)
from services.accounts.models import StaffRole
from services.attachments.models import Attachment
from services.attachments.selectors import attachment_for_viewer, attachment_names
from services.audit.models import Purpose
from services.audit.service import access_record
from services.backoffice.selectors import (
    agency_services,
    agency_staff,
    deadline_status,
    queue_counts,
    queue_for_agency,
    request_for_staff,
    request_notes,
    request_timeline,
    working_days_left,
)
from services.documents.models import ResultDocument
from services.i18n import current_language, pick
from services.processing.decisions import refusal_ground_text
from services.processing.labels import check_label, finding_label
from services.processing.models import CheckResult
from services.workflow.models import ServiceRequest
from services.workflow.officer import (
    request_approve,
    request_claim,
    request_info,
    request_note,
    request_reassign,
    request_reject,
)
from services.workflow.states import RULES, Action, Channel, State
from services.workflow.transitions import FormInvalid, NotPermitted, TransitionNotAllowed

CHANNEL = Channel.WEB
# The text an event's payload carries, shown in the staff timeline.
EVENT_TEXT = {
    Action.REQUEST_INFO: "message",
    Action.RESPOND: "message",
    Action.REJECT: "reason",
    Action.NOTE: "text",
    Action.APPROVE: "note",
}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def staff_login(request: HttpRequest) -> HttpResponse:
    """IIN, password and a one-time code; the session is then verified for the back office."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = StaffLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.enrolment is not None:
            return enrolment_begin(request, form.enrolment)
        login(request, form.get_user())
        otp_login(request, form.device)
        return redirect(next_url or "backoffice:queue")
    return render(request, "portal/backoffice/login.html", {"form": form, "next": next_url})


@staff_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The agency's open requests, filtered, earliest deadline first, a page at a time."""
    user = request.user
    counts = queue_counts(user=user)
    form = QueueFilterForm(request.GET or None, services=list(agency_services(user=user)), counts=counts)
    filters = form.filters()
    paginator = Paginator(queue_for_agency(user=user, **filters), settings.BACKOFFICE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [(item, deadline_status(item), working_days_left(item)) for item in page],
        "query": query.urlencode(),
        "filtered": bool(filters or form.errors),
    }
    return render(request, "portal/backoffice/queue.html", context)


def _staff_request(request: HttpRequest, reference: str) -> ServiceRequest:
    try:
        return request_for_staff(user=request.user, reference=reference)
    except ServiceRequest.DoesNotExist as missing:
        raise Http404("no such request in this agency") from missing


def _allowed(service_request: ServiceRequest, action: Action) -> bool:
    return (action, State(service_request.state)) in RULES


def _sandboxed(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """A stored file shown inline to staff, under a sandboxing Content-Security-Policy; 404 if it is gone."""
    try:
        opened = file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("the file is missing") from missing
    response = FileResponse(opened, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; object-src 'self'"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_GET
def result_document(request: HttpRequest, reference: str) -> FileResponse:
    """The request's result PDF, shown in the browser for staff, sandboxed, with an access record."""
    service_request = _staff_request(request, reference)
    document = ResultDocument.objects.filter(request=service_request).first()
    if document is None:
        raise Http404("no result document yet")
    access_record(
        user=request.user, request=service_request, purpose=Purpose.VIEWED_DOCUMENT, channel=CHANNEL, detail="result"
    )
    return _sandboxed(document.file, filename=f"{service_request.reference}.pdf", content_type="application/pdf")


@staff_required
@require_GET
def uploaded_file(request: HttpRequest, reference: str, public_id: uuid.UUID) -> FileResponse:
    """A file the citizen uploaded (PDF or image, checked by content at upload), shown inline and
    sandboxed, with an access record; 404 outside the officer's agency."""
    service_request = _staff_request(request, reference)
    try:
        attachment = attachment_for_viewer(viewer=request.user, public_id=public_id, reference=reference)
    except Attachment.DoesNotExist as hidden:
        raise Http404("no such file") from hidden
    access_record(
        user=request.user,
        request=service_request,
        purpose=Purpose.VIEWED_DOCUMENT,
        channel=CHANNEL,
        detail=attachment.original_name,
    )
    return _sandboxed(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


@staff_required
@require_GET
def request_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Everything an officer needs to decide: answers, checks, timeline, notes, deadline and the actions."""
    service_request = _staff_request(request, reference)
    access_record(user=request.user, request=service_request, purpose=Purpose.VIEWED_REQUEST, channel=CHANNEL)
    return _request_page(request, service_request)


def _request_page(
    request: HttpRequest, service_request: ServiceRequest, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    grounds = _grounds(service_request)
    action_forms = {
        "request_info": MessageForm(),
        "note": NoteForm(),
        "approve": ApproveForm(),
        "reject": RejectForm(grounds=grounds),
        "reassign": AssigneeForm(staff=agency_staff(user=user)),
        **(bound or {}),
    }
    errors = [
        (f"#id_{field}" if field != "__all__" else "#main", message)
        for form in action_forms.values()
        for field, messages_ in form.errors.items()
        for message in messages_
    ]
    days_left = working_days_left(service_request)
    events = [
        (event, event.payload.get(EVENT_TEXT.get(event.action, ""), ""))
        for event in request_timeline(request=service_request)
    ]
    context = {
        "service_request": service_request,
        "service": service_request.service,
        "state": State(service_request.state),
        "answers": form_answers(
            service_request.form_version.schema,
            service_request.form_data,
            files=attachment_names(request=service_request),
        ),
        "checks": _checks(service_request),
        "events": events,
        "notes": request_notes(request=service_request),
        "deadline_status": deadline_status(service_request),
        "days_left": days_left,
        "days_overdue": -days_left if days_left is not None and days_left < 0 else None,
        "clock_paused": service_request.clock_paused_at is not None,
        "forms": action_forms,
        "error_list": errors,
        "is_supervisor": user.staff_role == "supervisor",
        "can": {action.value: _allowed(service_request, action) for action in Action},
        "claimed_by_me": service_request.assignee_id == user.pk,
        "document": ResultDocument.objects.filter(request=service_request).first(),
        "uploads": Attachment.objects.filter(request=service_request),
    }
    return render(request, "portal/backoffice/request.html", context, status=status)


def _checks(service_request: ServiceRequest) -> list[tuple[CheckResult, str, str, str]]:
    """The request's check results as (result, check, finding, ground for refusal) in the reader's words."""
    service, language = service_request.service, current_language()
    return [
        (
            result,
            check_label(result.check_code),
            finding_label(result.finding, result.data),
            refusal_ground_text(service, result.refusal_ground, language) if result.refusal_ground else "",
        )
        for result in CheckResult.objects.filter(request=service_request).order_by("check_code")
    ]


def _grounds(service_request: ServiceRequest) -> list[tuple[str, str]]:
    """The service's grounds for refusal as (code, wording in the reader's language)."""
    return [(item["code"], pick(item["text"])) for item in service_request.service.refusal_grounds]


@dataclass(frozen=True)
class OfficerAction:
    """One action of the request page: its URL, its form, the officer function it calls, and what it says when done.

    `perform` is called with request=, user=, channel= and the form's cleaned data as keywords.
    """

    slug: str
    form: Callable[[HttpRequest, ServiceRequest], forms.Form]
    perform: Callable[..., ServiceRequest]
    done: Promise
    supervisor_only: bool = False


ACTIONS = {
    "claim": OfficerAction(
        "claim", lambda http, item: forms.Form({}), request_claim, _("You have claimed this request.")
    ),
    "reassign": OfficerAction(
        "reassign",
        lambda http, item: AssigneeForm(http.POST, staff=agency_staff(user=http.user)),
        request_reassign,
        _("The request has been reassigned."),
        supervisor_only=True,
    ),
    "request_info": OfficerAction(
        "request-info",
        lambda http, item: MessageForm(http.POST),
        request_info,
        _("The citizen has been asked for more information. The deadline is paused."),
    ),
    "approve": OfficerAction(
        "approve",
        lambda http, item: ApproveForm(http.POST),
        request_approve,
        _("The request has been approved. The citizen will be notified."),
    ),
    "reject": OfficerAction(
        "reject",
        lambda http, item: RejectForm(http.POST, grounds=_grounds(item)),
        request_reject,
        _("The request has been refused. The citizen will be notified."),
    ),
    "note": OfficerAction("note", lambda http, item: NoteForm(http.POST), request_note, _("Your note has been added.")),
}


@staff_required
@require_POST
def act(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """Take one officer action: field errors re-show the page; a refusal or a conflict is a message."""
    spec = ACTIONS[action]
    if spec.supervisor_only and request.user.staff_role != StaffRole.SUPERVISOR:
        raise PermissionDenied
    service_request = _staff_request(request, reference)
    form = spec.form(request, service_request)
    if not form.is_valid():
        return _request_page(request, service_request, bound={action: form}, status=400)
    try:
        spec.perform(request=service_request, user=request.user, channel=CHANNEL, **form.cleaned_data)
    except FormInvalid as invalid:
        for field, texts in invalid.errors.items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
        return _request_page(request, service_request, bound={action: form}, status=400)
    except (TransitionNotAllowed, NotPermitted) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, spec.done)
    return redirect("backoffice:request", reference=reference)
