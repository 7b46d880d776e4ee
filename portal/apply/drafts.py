"""Read-only look-ups for the apply pages. Every query names the citizen, so nobody reaches another's request."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from services.accounts.models import User
from services.catalogue.forms import form_pages
from services.catalogue.models import Service
from services.catalogue.selectors import services_open_for_requests
from services.registries.prefill import prefill_for
from services.workflow.models import RequestEvent, ServiceRequest
from services.workflow.states import Action, State


def service_to_apply_for(code: str) -> Service:
    """An active service with a form, or 404."""
    return get_object_or_404(services_open_for_requests(), code=code)


def citizen_request(*, citizen: User, code: str, reference: str) -> ServiceRequest:
    """The citizen's own request of this service; 404 for anyone else's, so its existence is not revealed."""
    queryset = ServiceRequest.objects.select_related("service", "form_version", "citizen")
    return get_object_or_404(queryset, citizen=citizen, service__code=code, reference=reference)


def citizen_drafts(*, citizen: User, service: Service) -> QuerySet[ServiceRequest]:
    """The citizen's open drafts of a service, the most recently saved first."""
    return ServiceRequest.objects.filter(citizen=citizen, service=service, state=State.DRAFT).order_by("-updated_at")


def saved_pages(draft: ServiceRequest) -> set[str]:
    """The pages of a draft the citizen has saved at least once."""
    events = RequestEvent.objects.filter(request=draft, action=Action.STEP_SAVED)
    return {payload.get("page") for payload in events.values_list("payload", flat=True)}


def next_unsaved_page(draft: ServiceRequest) -> str | None:
    """Where to carry on: the first page not saved yet; None when all are (then: check your answers)."""
    saved = saved_pages(draft)
    return next((page for page in form_pages(draft.form_version.schema) if page not in saved), None)


def page_or_404(draft: ServiceRequest, page: str) -> str:
    if page not in form_pages(draft.form_version.schema):
        raise Http404("no such page in this form")
    return page


def prefill_on_page(draft: ServiceRequest, fields: list[str]) -> dict[str, object]:
    """Registry values for the page's fields that, in the draft's own form version, ask to be pre-filled."""
    values = prefill_for(citizen=draft.citizen, form=draft.form_version)
    return {name: value for name, value in values.items() if name in fields}
