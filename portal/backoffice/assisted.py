"""Assisted filing pages: the clerk names the citizen and the service, then answers the whole form at once."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from portal.accounts.forms import _clean_iin, _iin_field
from portal.apply.questions import page_questions, page_title
from portal.apply.uploads import form_files_upload
from portal.backoffice.access import staff_required
from services.attachments.selectors import attachment_names
from services.backoffice.assisted import assisted_draft, assisted_draft_start, assisted_services
from services.catalogue.forms import coerce_answers, file_fields, form_pages
from services.registries.prefill import prefill_for
from services.workflow.models import ServiceRequest
from services.workflow.service import draft_complete
from services.workflow.states import Channel
from services.workflow.transitions import FormInvalid


class AssistedStartForm(forms.Form):
    iin = _iin_field()
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=assisted_services(), error_messages={"required": _("Choose a service.")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["iin"].label = _("The citizen's IIN")
        self.fields["iin"].help_text = _("12 digits, from the citizen's identity card.")
        self.fields["service"].label_from_instance = lambda service: service.name

    def clean_iin(self) -> str:
        return _clean_iin(self.cleaned_data["iin"])


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def assisted_start(request: HttpRequest) -> HttpResponse:
    """Who the request is for and which service; opens a draft filed by the clerk."""
    form = AssistedStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = assisted_draft_start(
                clerk=request.user, iin=form.cleaned_data["iin"], service=form.cleaned_data["service"]
            )
        except ValidationError as error:
            form.add_error("iin", error)
        else:
            return redirect("backoffice:assisted_answers", reference=draft.reference)
    return render(request, "portal/backoffice/assisted_start.html", {"form": form})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def assisted_answers(request: HttpRequest, reference: str) -> HttpResponse:
    """Every question of the form on one page, pre-filled from the registries; POST submits for the citizen."""
    try:
        draft = assisted_draft(clerk=request.user, reference=reference)
    except ServiceRequest.DoesNotExist as missing:
        raise Http404("no such draft filed by this clerk") from missing
    schema = draft.form_version.schema
    registry = prefill_for(citizen=draft.citizen, form=draft.form_version)
    if request.method != "POST":
        return _answers_page(request, draft, values={**registry, **draft.form_data}, registry=registry)
    typed = {name: request.POST.get(name, "") for name in schema["properties"]}
    refused = form_files_upload(request, draft, typed)  # the citizen's papers, scanned at the counter
    if refused:
        return _answers_page(request, draft, values=typed, registry=registry, errors=refused, status=400)
    try:
        submitted = draft_complete(
            request=draft, user=request.user, answers=coerce_answers(schema, typed), channel=Channel.ASSISTED
        )
    except FormInvalid as invalid:
        return _answers_page(request, draft, values=typed, registry=registry, errors=invalid.errors, status=400)
    messages.success(
        request,
        gettext("Request %(reference)s has been submitted for the citizen. Give them the reference number.")
        % {"reference": submitted.reference},
    )
    return redirect("backoffice:queue")


def _answers_page(
    request: HttpRequest,
    draft: ServiceRequest,
    *,
    values: dict[str, Any],
    registry: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    schema = draft.form_version.schema
    errors = errors or {}
    prefilled = {name for name, value in registry.items() if str(values.get(name, "")) == str(value)}
    files = attachment_names(request=draft)
    pages = [
        (
            page_title(schema, page),
            page_questions(schema, page, values=values, prefilled=prefilled, errors=errors, files=files),
        )
        for page in form_pages(schema)
    ]
    error_list = [
        (f"#f-{name}" if name in schema["properties"] else "", text) for name, texts in errors.items() for text in texts
    ]
    context = {
        "draft": draft,
        "service": draft.service,
        "pages": pages,
        "error_list": error_list,
        "has_files": bool(file_fields(schema)),
        "files_unlinked": True,  # the clerk holds the paper; the file opens in the queue once submitted
    }
    return render(request, "portal/backoffice/assisted_answers.html", context, status=status)
