"""A whole citizen journey by the API alone, written as a client would: only the schema's paths, a token.

The officer's side (information request, approval) is the workflow's own function here; test_queue
has an officer's decision by API.
"""

import re
import uuid
from pathlib import Path

import pytest
import yaml
from rest_framework.test import APIClient

from services.workflow.models import ServiceRequest
from services.workflow.states import Action, Channel, State
from services.workflow.transitions import transition
from tests import uploads
from tests.factories import VALID_ANSWERS
from tests.portal.api.conftest import session

pytestmark = pytest.mark.django_db

SCHEMA = yaml.safe_load((Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml").read_text(encoding="utf-8"))


def operation_url(operation_id: str, **values: str) -> str:
    for path, methods in SCHEMA["paths"].items():
        if any(operation["operationId"] == operation_id for operation in methods.values()):
            return re.sub(r"\{(\w+)\}", lambda match: values[match.group(1)], path)
    raise LookupError(operation_id)


def test_a_citizen_files_follows_answers_and_downloads_by_api(
    citizen, clerk, service, django_capture_on_commit_callbacks
):
    created = session(citizen).post(operation_url("tokens_create"), {"name": "my app"}, format="json")
    app = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    app.credentials(HTTP_AUTHORIZATION=f"Bearer {created.json()['secret']}")

    services = app.get(operation_url("services_list")).json()["results"]
    code = services[0]["code"]
    passport = app.get(operation_url("services_retrieve", code=code)).json()
    prefill = app.get(operation_url("services_prefill", code=code)).json()["answers"]

    def post(operation_id, body=None, **values):
        response = app.post(
            operation_url(operation_id, **values), body or {}, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
        )
        assert response.status_code < 300, response.json()
        return response.json()

    draft = post("requests_create", {"service": code})
    reference = draft["reference"]
    answers = {**VALID_ANSWERS, **prefill}
    for page in passport["form"]["schema"]["x-pages"]:
        fields = [name for name, f in passport["form"]["schema"]["properties"].items() if f["x-page"] == page["id"]]
        page_answers = {name: answers[name] for name in fields if name in answers}
        post("requests_save_step", {"page": page["id"], "answers": page_answers}, reference=reference)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = post("requests_submit", reference=reference)
    assert submitted["state"] == State.SUBMITTED
    assert app.get(operation_url("requests_retrieve", reference=reference)).json()["state"] == State.IN_REVIEW

    request = ServiceRequest.objects.get(reference=reference)
    transition(
        request=request, action=Action.REQUEST_INFO, user=clerk, channel=Channel.WEB, payload={"message": "Why?"}
    )
    followed = app.get(operation_url("requests_retrieve", reference=reference)).json()
    assert followed["actions"] == ["respond", "withdraw"]
    # The answer carries a document, as the page's does: multipart, one `files` part per file.
    answered = app.post(
        operation_url("requests_respond", reference=reference),
        {"message": "For my new job.", "files": [uploads.pdf("employer letter.pdf")]},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert answered.status_code == 200, answered.json()
    sent = app.get(operation_url("requests_attachments", reference=reference)).json()["results"]
    assert [document["original_name"] for document in sent] == ["employer letter.pdf"]
    with django_capture_on_commit_callbacks(execute=True):
        transition(request=request, action=Action.APPROVE, user=clerk, channel=Channel.WEB)

    done = app.get(operation_url("requests_retrieve", reference=reference)).json()
    assert done["state"] == State.ISSUED
    assert done["has_document"] is True
    pdf = app.get(operation_url("requests_document", reference=reference))
    assert pdf["Content-Type"] == "application/pdf"
    timeline = app.get(operation_url("requests_timeline", reference=reference)).json()["results"]
    actions = [event["action"] for event in timeline]
    assert actions[:3] == [Action.STARTED, Action.STEP_SAVED, Action.STEP_SAVED]
    assert {Action.SUBMIT, Action.REQUEST_INFO, Action.RESPOND, Action.APPROVE, Action.ISSUE} <= set(actions)
    assert {event["channel"] for event in timeline if event["actor_kind"] == "citizen"} == {Channel.API}
    code = request.result_document.verification_code
    assert app.get(operation_url("documents_verify", code=code)).json()["valid"] is True

    second = post("requests_create", {"service": services[0]["code"]})
    assert (
        app.get(operation_url("requests_list") + "?state=draft").json()["results"][0]["reference"]
        == second["reference"]
    )
