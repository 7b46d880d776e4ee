"""A request's page for staff, and the actions on it, each through the workflow."""

import pytest
from django.test import Client
from django.utils import timezone

from services.audit.models import AccessRecord, Purpose
from services.processing.models import CheckOutcome, CheckResult
from services.workflow.models import RequestEvent
from services.workflow.officer import request_approve, request_note
from services.workflow.states import Action, Channel, State
from tests.factories import ServiceRequestFactory, StaffFactory, UserFactory
from tests.otp import verified_client

pytestmark = pytest.mark.django_db


def citizen_client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_page_shows_answers_checks_timeline_notes_and_deadline(as_clerk, clerk, in_review):
    CheckResult.objects.create(
        request=in_review,
        check_code="no_criminal_record",
        outcome=CheckOutcome.PASSED,
        finding="no_record",
        checked_at=timezone.now(),
    )
    request_note(request=in_review, user=clerk, text="Phoned the citizen.", channel=Channel.WEB)
    page = as_clerk.get(f"/backoffice/requests/{in_review.reference}/").content.decode()
    for text in ("+77011234567", "No criminal record", "Phoned the citizen.", "Internal notes", "working days left"):
        assert text in page
    assert "Claim this request" in page and "Data are wrong" in page


def test_check_results_read_as_words_with_their_data_and_the_ground_for_refusal(as_clerk, in_review):
    for code, outcome, finding, data, ground in (
        ("applicant_registered", CheckOutcome.PASSED, "registered", {"region": "11"}, ""),
        ("age_between", CheckOutcome.FAILED, "age_out_of_range", {"age": 17}, "inaccurate-data"),
        ("retired_check", CheckOutcome.UNDECIDED, "retired_finding", {}, ""),
    ):
        CheckResult.objects.create(
            request=in_review,
            check_code=code,
            outcome=outcome,
            finding=finding,
            data=data,
            refusal_ground=ground,
            checked_at=timezone.now(),
        )
    page = as_clerk.get(f"/backoffice/requests/{in_review.reference}/").content.decode()
    for text in (
        "The applicant is in the population register",
        "Registered at an address",
        "The applicant&#x27;s age",
        "Age 17 is outside the allowed range",
        "Ground for refusal: Data are wrong",
        "retired_check",  # a code without a label is shown as stored
    ):
        assert text in page, text
    for code in ("applicant_registered", ">registered<", "age_out_of_range", "(inaccurate-data)"):
        assert code not in page, code
    assert 'class="table-scroll" role="region" aria-labelledby="checks" tabindex="0"' in page


def test_claim_then_request_information_then_approve(as_clerk, clerk, in_review):
    url = f"/backoffice/requests/{in_review.reference}"
    assert as_clerk.post(f"{url}/claim/").status_code == 302
    in_review.refresh_from_db()
    assert in_review.assignee == clerk
    response = as_clerk.post(f"{url}/request-info/", {"message": ""})
    assert response.status_code == 400
    assert "Enter the information you need from the citizen." in response.content.decode()
    as_clerk.post(f"{url}/request-info/", {"message": "Send the lease."})
    in_review.refresh_from_db()
    assert in_review.state == State.INFO_REQUESTED
    in_review.state = State.IN_REVIEW  # as after the citizen's answer
    in_review.save(update_fields=["state"])
    response = as_clerk.post(f"{url}/approve/", {"note": ""}, follow=True)
    assert "has been approved" in response.content.decode()


def test_reject_needs_a_ground_and_an_explanation(as_clerk, in_review):
    url = f"/backoffice/requests/{in_review.reference}/reject/"
    response = as_clerk.post(url, {"ground": "", "text": "No."})
    assert response.status_code == 400 and "Choose a ground for refusal" in response.content.decode()
    assert 'href="#id_ground"' in response.content.decode()  # the error summary links to the field
    as_clerk.post(url, {"ground": "inaccurate-data", "text": "The address is not yours."})
    in_review.refresh_from_db()
    assert in_review.state == State.REJECTED
    assert in_review.decision_reason == "Data are wrong\n\nThe address is not yours."


def test_a_decision_that_lost_the_race_shows_the_current_state(as_clerk, service, in_review):
    request_approve(request=in_review, user=StaffFactory(agency=service.agency), channel=Channel.WEB)
    response = as_clerk.post(f"/backoffice/requests/{in_review.reference}/approve/", {"note": ""}, follow=True)
    page = response.content.decode()
    assert "This request is now" in page and "is no longer possible" in page
    assert RequestEvent.objects.filter(request=in_review, action=Action.APPROVE).count() == 1


def test_a_clerk_cannot_decide_what_they_filed(as_clerk, clerk, service):
    filed = ServiceRequestFactory(service=service, in_review=True, filed_by=clerk)
    response = as_clerk.post(f"/backoffice/requests/{filed.reference}/approve/", {"note": ""}, follow=True)
    assert "another officer must decide it" in response.content.decode()
    filed.refresh_from_db()
    assert filed.state == State.IN_REVIEW


def test_only_a_supervisor_reassigns(as_clerk, as_supervisor, clerk, in_review):
    url = f"/backoffice/requests/{in_review.reference}/reassign/"
    assert as_clerk.post(url, {"assignee": clerk.pk}).status_code == 403
    assert as_supervisor.post(url, {"assignee": clerk.pk}).status_code == 302
    in_review.refresh_from_db()
    assert in_review.assignee == clerk
    outsider = StaffFactory()
    assert as_supervisor.post(url, {"assignee": outsider.pk}).status_code == 400


def test_opening_and_acting_write_access_records_shown_to_that_citizen_only(as_clerk, clerk, in_review):
    as_clerk.get(f"/backoffice/requests/{in_review.reference}/")
    as_clerk.post(f"/backoffice/requests/{in_review.reference}/claim/")
    purposes = list(AccessRecord.objects.filter(request=in_review, user=clerk).values_list("purpose", flat=True))
    assert sorted(purposes) == [Purpose.ACTED, Purpose.VIEWED_REQUEST]
    citizen_page = citizen_client(in_review.citizen).get(f"/requests/{in_review.reference}/").content.decode()
    assert "Who has seen your data" in citizen_page and "Aigerim Bekova" in citizen_page
    assert "Viewed the request" in citizen_page and "Worked on the request" in citizen_page
    assert "Phoned" not in citizen_page
    assert citizen_client(UserFactory()).get(f"/requests/{in_review.reference}/").status_code == 404


def test_internal_notes_are_never_shown_to_the_citizen(clerk, in_review):
    request_note(request=in_review, user=clerk, text="Suspicious signature.", channel=Channel.WEB)
    assert (
        "Suspicious signature."
        not in citizen_client(in_review.citizen).get(f"/requests/{in_review.reference}/").content.decode()
    )


def test_opening_a_request_in_the_admin_writes_an_access_record(in_review):
    admin = UserFactory(is_staff=True, is_superuser=True)
    assert verified_client(admin).get(f"/admin/workflow/servicerequest/{in_review.pk}/change/").status_code == 200
    record = AccessRecord.objects.get(request=in_review, user=admin)
    assert record.purpose == Purpose.VIEWED_REQUEST and record.detail == "admin"


def test_the_citizen_looking_at_their_own_request_writes_no_record(in_review):
    citizen_client(in_review.citizen).get(f"/requests/{in_review.reference}/")
    assert not AccessRecord.objects.filter(request=in_review).exists()


def test_staff_open_the_result_document_sandboxed_and_it_is_recorded(as_clerk, clerk, in_review, result_document):
    url = f"/backoffice/requests/{in_review.reference}/document/"
    assert as_clerk.get(url).status_code == 404  # none issued yet
    result_document(in_review)
    assert url in as_clerk.get(f"/backoffice/requests/{in_review.reference}/").content.decode()
    response = as_clerk.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    record = AccessRecord.objects.get(request=in_review, purpose=Purpose.VIEWED_DOCUMENT)
    assert record.user == clerk and record.detail == "result"


def test_staff_open_the_citizens_uploads_sandboxed_and_it_is_recorded(as_clerk, clerk, in_review, uploaded_file):
    page = as_clerk.get(f"/backoffice/requests/{in_review.reference}/").content.decode()
    assert "The citizen has uploaded no documents." in page
    upload = uploaded_file(in_review)
    url = f"/backoffice/requests/{in_review.reference}/files/{upload.public_id}/"
    page = as_clerk.get(f"/backoffice/requests/{in_review.reference}/").content.decode()
    assert url in page and "birth-certificate.pdf" in page
    response = as_clerk.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" not in response.get("Content-Disposition", "")  # shown in the browser
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 scan"
    record = AccessRecord.objects.get(request=in_review, purpose=Purpose.VIEWED_DOCUMENT)
    assert record.user == clerk and record.detail == "birth-certificate.pdf"


def test_an_upload_of_another_request_is_not_served_under_this_one(as_clerk, service, in_review, uploaded_file):
    other = uploaded_file(ServiceRequestFactory(service=service, in_review=True))
    assert as_clerk.get(f"/backoffice/requests/{in_review.reference}/files/{other.public_id}/").status_code == 404
