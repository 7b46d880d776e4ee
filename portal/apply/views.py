"""The apply flow: start or resume, question pages, check your answers, confirmation.

The views translate HTTP to the workflow's draft functions and back; the functions validate, save
and record the `started`, `step_saved`, `resumed` and `submit` events. Every look-up of a request
names the signed-in citizen, so another person's reference answers 404.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from portal.apply.drafts import (
    citizen_drafts,
    citizen_request,
    next_unsaved_page,
    page_or_404,
    prefill_on_page,
    saved_pages,
    service_to_apply_for,
)
from portal.apply.next_steps import what_happens_next
from portal.apply.questions import field_pages, form_answers, page_hint, page_questions, page_title
from portal.apply.uploads import form_files_upload
from services.attachments.selectors import attachment_names, form_files_pending
from services.catalogue.forms import coerce_answers, form_pages, page_fields
from services.catalogue.models import Service
from services.workflow.models import ServiceRequest
from services.workflow.service import draft_resume, draft_save_step, draft_start, request_submit
from services.workflow.states import State
from services.workflow.transitions import FormInvalid, TransitionNotAllowed

RETURN_TO_CHECK = "check"


@login_required
@require_http_methods(["GET", "POST"])
def apply_start(request: HttpRequest, code: str) -> HttpResponse:
    """The start page: carry on with a saved draft, or start (a GET alone never starts anything)."""
    service = service_to_apply_for(code)
    if request.method == "GET":
        drafts = citizen_drafts(citizen=request.user, service=service)
        return render(request, "portal/apply/start.html", {"service": service, "drafts": drafts})
    action = request.POST.get("action")
    if action == "start":
        draft = draft_start(citizen=request.user, service=service)
        return redirect(_page_url(draft, form_pages(draft.form_version.schema)[0]))
    if action == "resume":
        return _resume(request, service)
    return HttpResponseBadRequest()


def _resume(request: HttpRequest, service: Service) -> HttpResponse:
    drafts = citizen_drafts(citizen=request.user, service=service)
    draft = get_object_or_404(drafts, reference=request.POST.get("reference", ""))
    try:
        draft = draft_resume(request=draft, user=request.user)
    except TransitionNotAllowed:
        return redirect("apply_start", code=service.code)
    page = next_unsaved_page(draft)
    return redirect(_page_url(draft, page) if page else _check_url(draft))


@login_required
@require_http_methods(["GET", "POST"])
def apply_page(request: HttpRequest, code: str, reference: str, page: str) -> HttpResponse:
    """One question page of the draft's own form version; POST saves it and moves on."""
    draft = citizen_request(citizen=request.user, code=code, reference=reference)
    if draft.state != State.DRAFT:
        return _not_a_draft(draft)
    page = page_or_404(draft, page)
    schema = draft.form_version.schema
    registry = prefill_on_page(draft, page_fields(schema, page))
    if request.method == "GET":
        return _question_page(request, draft, page, values=_page_values(draft, page, registry), registry=registry)
    typed = {name: request.POST.get(name, "") for name in page_fields(schema, page)}
    refused = form_files_upload(request, draft, typed)
    # Nothing of the page is saved and the draft keeps its earlier answers; a file accepted beside the
    # refused one stays its question's answer on the page, now and when the citizen comes back.
    if refused:
        return _question_page(request, draft, page, values=typed, registry=registry, errors=refused)
    try:
        draft = draft_save_step(request=draft, user=request.user, page=page, answers=coerce_answers(schema, typed))
    except FormInvalid as invalid:
        return _question_page(request, draft, page, values=typed, registry=registry, errors=invalid.errors)
    except TransitionNotAllowed:
        draft.refresh_from_db()
        return _not_a_draft(draft)
    return redirect(_after_page(request, draft, page))


def _page_values(draft: ServiceRequest, page: str, registry: dict[str, Any]) -> dict[str, Any]:
    """Saved answers, over them files uploaded but not saved yet; on a page never saved, the registries'
    values under them."""
    fields = page_fields(draft.form_version.schema, page)
    saved = {name: value for name, value in draft.form_data.items() if name in fields}
    saved |= {name: file for name, file in form_files_pending(request=draft).items() if name in fields}
    if page in saved_pages(draft):
        return saved
    return {**registry, **saved}


def _question_page(
    request: HttpRequest,
    draft: ServiceRequest,
    page: str,
    *,
    values: dict[str, Any],
    registry: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    schema = draft.form_version.schema
    errors = errors or {}
    # Marked "from state records" while the answer is still the registry's value.
    prefilled = {name for name, value in registry.items() if str(values.get(name, "")) == str(value)}
    files = attachment_names(request=draft)
    questions = page_questions(schema, page, values=values, prefilled=prefilled, errors=errors, files=files)
    pages = form_pages(schema)
    context = {
        "service": draft.service,
        "draft": draft,
        "title": page_title(schema, page),
        "hint": page_hint(schema, page),
        "questions": questions,
        "error_list": _error_list(errors, [q.name for q in questions], lambda name: f"#f-{name}"),
        "step": pages.index(page) + 1,
        "steps": len(pages),
        "back_url": _back_url(request, draft, page),
        "returning": _returning(request),
        "has_files": any(question.widget == "file" for question in questions),
    }
    return render(request, "portal/apply/page.html", context)


def _after_page(request: HttpRequest, draft: ServiceRequest, page: str) -> str:
    pages = form_pages(draft.form_version.schema)
    position = pages.index(page)
    if _returning(request) or position == len(pages) - 1:
        return _check_url(draft)
    return _page_url(draft, pages[position + 1])


def _back_url(request: HttpRequest, draft: ServiceRequest, page: str) -> str:
    pages = form_pages(draft.form_version.schema)
    position = pages.index(page)
    if _returning(request):
        return _check_url(draft)
    if position == 0:
        return reverse("apply_start", kwargs={"code": draft.service.code})
    return _page_url(draft, pages[position - 1])


@login_required
@require_http_methods(["GET", "POST"])
def apply_check(request: HttpRequest, code: str, reference: str) -> HttpResponse:
    """Check your answers, the declaration, and submit."""
    draft = citizen_request(citizen=request.user, code=code, reference=reference)
    if draft.state != State.DRAFT:
        return _not_a_draft(draft)
    if request.method == "GET":
        return _check_page(request, draft)
    if not request.POST.get("declaration"):
        message = gettext("Confirm that the information you have given is correct by ticking the box.")
        return _check_page(request, draft, declaration_error=message)
    try:
        request_submit(request=draft, user=request.user)
    except FormInvalid as invalid:
        return _check_page(request, draft, errors=invalid.errors)
    except TransitionNotAllowed:
        draft.refresh_from_db()
        return _not_a_draft(draft)
    return redirect("apply_done", code=code, reference=reference)


def _check_page(
    request: HttpRequest,
    draft: ServiceRequest,
    *,
    errors: dict[str, list[str]] | None = None,
    declaration_error: str = "",
) -> HttpResponse:
    schema = draft.form_version.schema
    pages_of = field_pages(schema)

    def link(name: str) -> str:
        return f"{_page_url(draft, pages_of[name])}?return={RETURN_TO_CHECK}#f-{name}"

    in_page_order = [name for page in form_pages(schema) for name in page_fields(schema, page)]
    error_list = _error_list(errors or {}, in_page_order, link)
    if declaration_error:
        error_list.append(("#declaration", declaration_error))
    context = {
        "service": draft.service,
        "draft": draft,
        "sections": form_answers(schema, draft.form_data, files=attachment_names(request=draft)),
        "error_list": error_list,
        "declaration_error": declaration_error,
    }
    return render(request, "portal/apply/check.html", context)


@login_required
@require_GET
def apply_done(request: HttpRequest, code: str, reference: str) -> HttpResponse:
    """The confirmation: the reference number and what happens next."""
    submitted = citizen_request(citizen=request.user, code=code, reference=reference)
    if submitted.state == State.DRAFT:
        return redirect(_check_url(submitted))
    if submitted.submitted_at is None:
        return _not_a_draft(submitted)
    context = {"service": submitted.service, "submitted": submitted, "next_steps": what_happens_next(submitted)}
    return render(request, "portal/apply/done.html", context)


def _not_a_draft(request: ServiceRequest) -> HttpResponse:
    """A request that can no longer be edited: its confirmation, or the start page if it was never sent."""
    if request.submitted_at is not None:
        return redirect("apply_done", code=request.service.code, reference=request.reference)
    return redirect("apply_start", code=request.service.code)


def _error_list(errors: dict[str, list[str]], fields: list[str], link: Callable[[str], str]) -> list[tuple[str, str]]:
    """(href, message) pairs for the error summary in the order of `fields` on the page; a message
    about no field of ours comes first, without a link."""
    position = {name: index for index, name in enumerate(fields)}
    ordered = sorted(errors.items(), key=lambda item: position.get(item[0], -1))
    return [(link(name) if name in position else "", message) for name, messages in ordered for message in messages]


def _returning(request: HttpRequest) -> bool:
    return request.GET.get("return") == RETURN_TO_CHECK


def _page_url(draft: ServiceRequest, page: str) -> str:
    kwargs = {"code": draft.service.code, "reference": draft.reference, "page": page}
    return reverse("apply_page", kwargs=kwargs)


def _check_url(draft: ServiceRequest) -> str:
    return reverse("apply_check", kwargs={"code": draft.service.code, "reference": draft.reference})
