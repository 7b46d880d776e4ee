"""My requests and a request's page: what the citizen sees, and what they can do from there."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.documents.service import document_issue
from services.workflow.models import RequestEvent
from services.workflow.states import Action, ActorKind, State
from tests.factories import ServiceRequestFactory
from tests.portal.tracking.support import add_event, detail_url, html

pytestmark = pytest.mark.django_db


def test_my_requests_lists_drafts_to_continue_and_sent_requests_with_their_status(as_citizen, citizen):
    draft = ServiceRequestFactory(citizen=citizen)
    older = ServiceRequestFactory(citizen=citizen, submitted=True)
    newer = ServiceRequestFactory(citizen=citizen, info_requested=True)
    someone_elses = ServiceRequestFactory(submitted=True)

    page = html(as_citizen.get("/requests/"))

    assert f'href="/services/{draft.service.code}/apply/"' in page
    assert draft.reference in page
    assert '<span class="tag">Draft</span>' in page
    assert '<span class="tag">Submitted</span>' in page
    assert '<span class="tag">Information requested</span>' in page
    assert page.index(newer.reference) < page.index(older.reference)
    assert f'href="/requests/{newer.reference}/"' in page
    assert "Certificate" in page
    assert someone_elses.reference not in page


def _count_my_requests_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/requests/").status_code == 200
    return len(queries)


def test_my_requests_query_count_does_not_grow_with_the_number_of_requests(
    as_citizen, citizen, django_assert_max_num_queries
):
    ServiceRequestFactory(citizen=citizen)
    ServiceRequestFactory(citizen=citizen, submitted=True)
    with_one_each = _count_my_requests_queries(as_citizen)
    for _ in range(9):
        ServiceRequestFactory(citizen=citizen)
        ServiceRequestFactory(citizen=citizen, in_review=True)
    with django_assert_max_num_queries(with_one_each):
        assert as_citizen.get("/requests/").status_code == 200


def test_the_request_page_shows_status_deadline_and_the_timeline_without_internal_events(as_citizen, citizen):
    request = ServiceRequestFactory(citizen=citizen, info_requested=True)
    add_event(request, Action.SUBMIT, from_state=State.DRAFT, to_state=State.SUBMITTED, actor_kind=ActorKind.CITIZEN)
    add_event(request, Action.CLAIM, from_state=State.IN_REVIEW, to_state=State.IN_REVIEW, minutes=1)
    add_event(
        request,
        Action.NOTE,
        from_state=State.IN_REVIEW,
        to_state=State.IN_REVIEW,
        payload={"note": "Looks forged to me"},
        minutes=2,
    )
    add_event(
        request,
        Action.REQUEST_INFO,
        from_state=State.IN_REVIEW,
        to_state=State.INFO_REQUESTED,
        payload={"message": "Please send your employer's letter."},
        minutes=3,
    )

    page = html(as_citizen.get(detail_url(request)))

    assert request.reference in page
    assert '<strong class="tag">Information requested</strong>' in page
    assert "Please send your employer&#x27;s letter." in page
    assert "Looks forged" not in page
    assert "Internal note" not in page
    assert "Claimed" not in page
    assert page.index("Submitted</strong>") < page.index("Information requested</strong>\n")
    assert f'action="/requests/{request.reference}/respond/"' in page
    assert f'action="/requests/{request.reference}/withdraw/"' in page
    assert "Download your document" not in page


def test_the_request_page_counts_working_days_left_and_says_when_overdue(as_citizen, citizen):
    request = ServiceRequestFactory(citizen=citizen, in_review=True)
    assert "working day" in html(as_citizen.get(detail_url(request)))
    request.deadline = request.submitted_at.date().replace(year=2020)
    request.save()
    assert "Overdue" in html(as_citizen.get(detail_url(request)))


def test_a_rejected_request_shows_the_reason_and_offers_no_withdrawal_or_deadline_count(as_citizen, citizen):
    request = ServiceRequestFactory(
        citizen=citizen, submitted=True, state=State.REJECTED, decision_reason="The photo is missing."
    )
    add_event(
        request,
        Action.REJECT,
        from_state=State.IN_REVIEW,
        to_state=State.REJECTED,
        payload={"reason": "The photo is missing."},
    )
    page = html(as_citizen.get(detail_url(request)))
    assert "Reason for the decision" in page
    assert page.count("The photo is missing.") == 2  # the decision and its event
    assert "withdraw/" not in page
    assert "respond/" not in page
    assert "working day" not in page
    assert "Overdue" not in page


def test_withdrawing_from_review_needs_the_confirmation_and_then_shows_a_banner(as_citizen, citizen):
    request = ServiceRequestFactory(citizen=citizen, in_review=True)
    url = f"/requests/{request.reference}/withdraw/"

    unconfirmed = as_citizen.post(url, {})
    assert unconfirmed.status_code == 200
    assert 'class="field__error" id="confirm-error"' in html(unconfirmed)
    assert 'href="#confirm"' in html(unconfirmed)
    request.refresh_from_db()
    assert request.state == State.IN_REVIEW

    response = as_citizen.post(url, {"confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(detail_url(request), 302)]
    page = html(response)
    assert "Your request has been withdrawn." in page
    assert '<strong class="tag">Withdrawn</strong>' in page
    assert "withdraw/" not in page
    request.refresh_from_db()
    assert request.state == State.WITHDRAWN
    assert RequestEvent.objects.get(request=request).action == Action.WITHDRAW


def test_withdrawing_an_issued_request_is_refused_with_its_current_state(as_citizen, citizen):
    request = ServiceRequestFactory(citizen=citizen, submitted=True, state=State.ISSUED)
    response = as_citizen.post(f"/requests/{request.reference}/withdraw/", {"confirm": "yes"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(detail_url(request), 302)]
    assert "This request is now “Issued”, so “Withdrawn” is no longer possible." in html(response)
    request.refresh_from_db()
    assert request.state == State.ISSUED
    assert not RequestEvent.objects.filter(request=request).exists()


def test_answering_an_information_request_records_the_message_and_resumes_review(as_citizen, citizen):
    request = ServiceRequestFactory(citizen=citizen, info_requested=True)
    response = as_citizen.post(
        f"/requests/{request.reference}/respond/", {"message": "The letter is on its way."}, follow=True
    )
    assert response.redirect_chain == [(detail_url(request), 302)]
    page = html(response)
    assert "Your answer has been sent to the officer." in page
    assert '<strong class="tag">In review</strong>' in page
    assert "The letter is on its way." in page  # in the timeline
    event = RequestEvent.objects.get(request=request)
    assert (event.action, event.actor_kind) == (Action.RESPOND, ActorKind.CITIZEN)
    assert event.payload["message"] == "The letter is on its way."


def test_an_empty_answer_shows_an_error_next_to_the_field(as_citizen, citizen):
    request = ServiceRequestFactory(citizen=citizen, info_requested=True)
    as_citizen.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = as_citizen.post(f"/requests/{request.reference}/respond/", {"message": "  "})
    assert response.status_code == 200
    page = html(response)
    assert 'id="message-error"' in page
    assert "Введите ответ на запрос информации." in page
    assert 'aria-invalid="true" aria-describedby="message-error"' in page
    assert 'href="#message"' in page
    request.refresh_from_db()
    assert request.state == State.INFO_REQUESTED


def test_answering_when_the_request_is_no_longer_waiting_says_so(as_citizen, citizen):
    request = ServiceRequestFactory(citizen=citizen, in_review=True)
    response = as_citizen.post(f"/requests/{request.reference}/respond/", {"message": "Here."}, follow=True)
    assert "This request is now “In review”" in html(response)
    assert not RequestEvent.objects.filter(request=request).exists()


def test_the_result_document_is_downloaded_as_a_pdf_attachment(as_citizen, citizen, someone_else):
    request = ServiceRequestFactory(citizen=citizen, submitted=True, state=State.APPROVED)
    document = document_issue(request=request)
    request.state = State.ISSUED
    request.save()

    assert "Download your document" in html(as_citizen.get(detail_url(request)))
    url = f"/requests/{request.reference}/document/"
    response = as_citizen.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{request.reference}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    with document.file.open("rb") as stored:
        assert body == stored.read()
    assert someone_else.get(url).status_code == 404


def test_no_document_yet_answers_404(as_citizen, citizen):
    request = ServiceRequestFactory(citizen=citizen, in_review=True)
    assert as_citizen.get(f"/requests/{request.reference}/document/").status_code == 404


def test_the_confirmation_page_and_the_menu_link_to_tracking(as_citizen, citizen):
    request = ServiceRequestFactory(citizen=citizen, submitted=True)
    page = html(as_citizen.get(f"/services/{request.service.code}/apply/{request.reference}/done/"))
    assert f'href="/requests/{request.reference}/"' in page
    assert 'href="/requests/"' in page
