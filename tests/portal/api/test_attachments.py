"""Documents by API: a draft's file questions answered with an uploaded file's id, and documents sent
with an answer to an information request; the same domain functions and refusals as the pages."""

import hashlib
import uuid

import pytest

from services.attachments.models import Attachment, Purpose
from services.consents.models import Purpose as ConsentPurpose
from services.consents.service import consent_give
from services.workflow.models import RequestEvent, ServiceRequest
from services.workflow.states import Action, State
from tests.factories import (
    FORM_SCHEMA,
    SCAN_QUESTION,
    VALID_ANSWERS,
    ServiceFactory,
    ServiceRequestFactory,
    StaffFactory,
    ThirdPartyClientFactory,
    text,
)
from tests.portal.api.conftest import bearer, session, staff_session
from tests.uploads import PDF, PNG, TEXT, pdf, png

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
# The factory's form with a documents page that asks for one scan.
FILE_SCHEMA = {
    **FORM_SCHEMA,
    "x-pages": [*FORM_SCHEMA["x-pages"], {"id": "documents", "title": text("Documents")}],
    "properties": {**FORM_SCHEMA["properties"], "scan": SCAN_QUESTION},
    "required": [*FORM_SCHEMA["required"], "scan"],
}


@pytest.fixture
def file_service(db):
    return ServiceFactory(form=FILE_SCHEMA)


@pytest.fixture
def draft(api, file_service):
    response = api.post("/api/v1/requests/", {"service": file_service.code}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["reference"]


def _upload(client, reference, upload, question="scan", **headers):
    return client.post(
        f"/api/v1/requests/{reference}/attachments/",
        {"file": upload, "question": question},
        format="multipart",
        **headers,
    )


def test_a_citizen_uploads_a_pdf_then_completes_and_submits_the_form_by_api(api, draft):
    uploaded = _upload(api, draft, pdf("birth certificate.pdf"))
    assert uploaded.status_code == 201, uploaded.json()
    body = uploaded.json()
    assert body["question"] == "scan"
    assert body["purpose"] == Purpose.FORM
    assert (body["original_name"], body["size"], body["content_type"]) == (
        "birth certificate.pdf",
        len(PDF),
        "application/pdf",
    )
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["uploaded_at"]

    url = f"/api/v1/requests/{draft}"
    pages = [
        ("purpose", {"purpose": VALID_ANSWERS["purpose"]}),
        ("contact", {"phone": VALID_ANSWERS["phone"]}),
        ("documents", {"scan": body["id"]}),
    ]
    for page, answers in pages:
        saved = api.post(f"{url}/steps/", {"page": page, "answers": answers}, format="json")
        assert saved.status_code == 200, saved.json()
    submitted = api.post(f"{url}/submit/")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["answers"]["scan"] == body["id"]

    listed = api.get(f"{url}/attachments/").json()
    assert set(listed) == {"next", "previous", "results"}
    assert [item["id"] for item in listed["results"]] == [body["id"]]


def test_a_text_file_named_pdf_is_a_field_error_and_nothing_is_stored(api, draft):
    response = _upload(api, draft, pdf("letter.pdf", TEXT))
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {
        "file": ["“letter.pdf” is not a PDF, PNG or JPEG file. Upload a scan or a photo in one of these formats."]
    }
    assert not Attachment.objects.exists()


def test_a_question_the_form_does_not_ask_is_a_field_error_under_question(api, draft):
    response = _upload(api, draft, pdf(), question="phone")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["question"]


def test_refusals_are_in_the_readers_language(api, draft):
    response = _upload(api, draft, pdf("letter.pdf", TEXT), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert "letter.pdf" in response.json()["errors"]["file"][0]
    assert "PDF, PNG or JPEG file" not in response.json()["errors"]["file"][0]


@pytest.mark.parametrize("caller", ["other_citizen", "clerk", "bank"])
def test_others_get_404_for_upload_and_list(api, draft, file_service, caller, other_citizen):
    if caller == "bank":  # even with the citizen's consent to read their requests
        bank = ThirdPartyClientFactory()
        citizen = ServiceRequest.objects.get(reference=draft).citizen
        consent_give(citizen=citizen, client=bank, purpose=ConsentPurpose.READ_REQUESTS)
        client = session(bank.user)
    elif caller == "clerk":
        client = staff_session(StaffFactory(agency=file_service.agency))
    else:
        client = bearer(other_citizen)
    assert _upload(client, draft, pdf()).status_code == 404
    assert client.get(f"/api/v1/requests/{draft}/attachments/").status_code == 404
    assert not Attachment.objects.exists()


def test_a_submitted_request_takes_no_more_form_documents(api, citizen, file_service):
    submitted = ServiceRequestFactory(citizen=citizen, service=file_service, submitted=True)
    response = _upload(api, submitted.reference, pdf())
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert response.json()["state"] == State.SUBMITTED
    assert response.json()["action"] == "upload"
    assert response.json()["detail"] == "Documents can no longer be added to this request."


def test_json_is_not_an_upload(api, draft):
    response = api.post(f"/api/v1/requests/{draft}/attachments/", {"question": "scan"}, format="json")
    assert response.status_code == 415


def test_an_upload_is_idempotent_by_key_and_file(api, draft):
    key = str(uuid.uuid4())
    first = _upload(api, draft, pdf(), HTTP_IDEMPOTENCY_KEY=key)
    again = _upload(api, draft, pdf(), HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Attachment.objects.count() == 1
    other_file = _upload(api, draft, png("scan.pdf"), HTTP_IDEMPOTENCY_KEY=key)
    assert other_file.status_code == 422
    same_name_other_bytes = _upload(api, draft, pdf(content=PDF + b"%more\n"), HTTP_IDEMPOTENCY_KEY=key)
    assert same_name_other_bytes.status_code == 422
    assert Attachment.objects.count() == 1


def test_an_answer_to_an_information_request_carries_documents(api, citizen):
    request = ServiceRequestFactory(citizen=citizen, info_requested=True)
    url = f"/api/v1/requests/{request.reference}"
    answer = {"message": "Here they are", "files": [pdf("passport.pdf"), png("photo.png")]}
    response = api.post(f"{url}/respond/", answer, format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == State.IN_REVIEW
    files = {attachment.original_name: attachment for attachment in Attachment.objects.filter(request=request)}
    assert set(files) == {"passport.pdf", "photo.png"}
    assert {attachment.purpose for attachment in files.values()} == {Purpose.RESPONSE}
    event = RequestEvent.objects.get(request=request, action=Action.RESPOND)
    assert sorted(event.payload["attachments"]) == sorted(str(a.public_id) for a in files.values())
    listed = api.get(f"{url}/attachments/").json()["results"]
    assert {(item["original_name"], item["question"], item["purpose"]) for item in listed} == {
        ("passport.pdf", "", Purpose.RESPONSE),
        ("photo.png", "", Purpose.RESPONSE),
    }


def test_a_refused_document_in_an_answer_sends_nothing(api, citizen):
    request = ServiceRequestFactory(citizen=citizen, info_requested=True)
    answer = {"message": "Here", "files": [pdf("good.pdf"), pdf("photo.pdf", PNG)]}
    response = api.post(f"/api/v1/requests/{request.reference}/respond/", answer, format="multipart")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["files"]
    request.refresh_from_db()
    assert request.state == State.INFO_REQUESTED
    assert not Attachment.objects.exists()


def test_documents_in_an_answer_to_a_request_not_waiting_is_409(api, citizen):
    request = ServiceRequestFactory(citizen=citizen, in_review=True)
    answer = {"message": "Late", "files": [pdf()]}
    response = api.post(f"/api/v1/requests/{request.reference}/respond/", answer, format="multipart")
    assert response.status_code == 409
    assert (response.json()["state"], response.json()["action"]) == (State.IN_REVIEW, Action.RESPOND)


def test_the_citizen_downloads_an_uploaded_file_as_it_was_sent(api, draft):
    uploaded = _upload(api, draft, png("photo.png")).json()
    url = f"/api/v1/requests/{draft}/attachments/{uploaded['id']}/content/"
    response = api.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'attachment; filename="photo.png"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PNG
    assert api.get(f"/api/v1/requests/{draft}/attachments/{uuid.uuid4()}/content/").status_code == 404
    assert api.get(f"/api/v1/requests/{draft}/attachments/{'-' * 32}/content/").status_code == 404


def test_nobody_else_downloads_a_citizens_file(api, draft, other_citizen):
    uploaded = _upload(api, draft, pdf()).json()
    response = session(other_citizen).get(f"/api/v1/requests/{draft}/attachments/{uploaded['id']}/content/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
