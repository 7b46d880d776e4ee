"""The supervisor's view: overdue and escalated requests, each officer's workload, reassigning in bulk."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from portal.backoffice.access import staff_required
from portal.backoffice.forms import AssigneeForm
from services.backoffice.selectors import (
    DeadlineStatus,
    agency_staff,
    deadline_status,
    queue_for_agency,
    workload_per_officer,
)
from services.workflow.officer import request_reassign
from services.workflow.states import Channel
from services.workflow.transitions import NotPermitted, TransitionNotAllowed

# The supervisor's lists are short by nature; beyond this many, the queue's filters take over.
LIST_LIMIT = 100


class BulkReassignForm(AssigneeForm):
    references = forms.MultipleChoiceField(
        label=_("Requests"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one request.")},
    )

    def __init__(self, *args, staff, references: list[str], **kwargs) -> None:
        super().__init__(*args, staff=staff, **kwargs)
        self.fields["references"].choices = [(reference, reference) for reference in references]


def _watched(request: HttpRequest):
    user = request.user
    overdue = list(queue_for_agency(user=user, deadline=DeadlineStatus.OVERDUE)[:LIST_LIMIT])
    escalated = list(queue_for_agency(user=user, escalated=True)[:LIST_LIMIT])
    return overdue, escalated


@staff_required(supervisor=True)
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    """Overdue and escalated requests, and how much each officer has."""
    return _team_page(request, BulkReassignForm(staff=agency_staff(user=request.user), references=[]))


def _team_page(request: HttpRequest, form: BulkReassignForm, status: int = 200) -> HttpResponse:
    overdue, escalated = _watched(request)
    seen = {item.reference: item for item in overdue + escalated}
    form.fields["references"].choices = [(reference, reference) for reference in seen]
    errors = [
        (f"#id_{field}" if field != "references" else "#references-error", text)
        for field, texts in form.errors.items()
        for text in texts
    ]
    context = {
        "overdue": [(item, deadline_status(item)) for item in overdue],
        "escalated": [(item, deadline_status(item)) for item in escalated],
        "workload": workload_per_officer(user=request.user),
        "form": form,
        "error_list": errors,
    }
    return render(request, "portal/backoffice/team.html", context, status=status)


@staff_required(supervisor=True)
@require_POST
def team_reassign(request: HttpRequest) -> HttpResponse:
    """Give the chosen overdue or escalated requests to one officer, each through the workflow."""
    overdue, escalated = _watched(request)
    chosen = {item.reference: item for item in overdue + escalated}
    form = BulkReassignForm(request.POST, staff=agency_staff(user=request.user), references=list(chosen))
    if not form.is_valid():
        return _team_page(request, form, status=400)
    moved, refused = 0, []
    for reference in form.cleaned_data["references"]:
        try:
            request_reassign(
                request=chosen[reference],
                user=request.user,
                assignee=form.cleaned_data["assignee"],
                channel=Channel.WEB,
            )
            moved += 1
        except (TransitionNotAllowed, NotPermitted) as problem:
            refused.append(f"{reference}: {problem}")
    if moved:
        messages.success(
            request,
            ngettext("%(count)d request reassigned.", "%(count)d requests reassigned.", moved) % {"count": moved},
        )
    for problem in refused:
        messages.error(request, gettext("Not reassigned: %(problem)s") % {"problem": problem})
    return redirect("backoffice:team")
