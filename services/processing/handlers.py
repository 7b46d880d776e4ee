"""The outbox handlers of the processing layer: "process" (checks and decision) and "document"."""

from services.attachments.service import form_files_unused_purge
from services.documents.service import document_issue
from services.processing.decisions import request_fail, request_process
from services.workflow.models import SideEffect
from services.workflow.outbox import side_effect_handler
from services.workflow.states import Action, Channel, State
from services.workflow.transitions import transition


def _fail_request(effect: SideEffect) -> None:
    """Processing that never succeeds ends the request in `failed`, with the last error as the reason."""
    request_fail(request=effect.request, reason=f"automated processing failed: {effect.last_error}")


@side_effect_handler("process", on_give_up=_fail_request)
def run_processing(effect: SideEffect) -> None:
    """Checks against the registries, then the decision the service's mode allows. The answers are
    final now, so files uploaded and then replaced in the draft go first."""
    form_files_unused_purge(request=effect.request)
    request_process(request=effect.request)


@side_effect_handler("document")
def issue_result_document(effect: SideEffect) -> None:
    """The signed PDF for a decision; an approved request is then `issued`.

    A document that keeps failing is marked failed on its outbox row for staff to see; the
    request keeps its state (the decision stands).
    """
    request = effect.request  # as it is now: the outbox has just read it
    document_issue(request=request)
    if request.state == State.APPROVED:
        transition(request=request, action=Action.ISSUE, user=None, channel=Channel.SYSTEM)
