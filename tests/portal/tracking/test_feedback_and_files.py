"""The request page: the satisfaction question at every end, answering with documents, files in the timeline."""

import pytest

from services.attachments.models import Attachment
from services.feedback.models import SatisfactionAnswer
from services.workflow.states import State
from tests.factories import ServiceRequestFactory
from tests.portal.tracking.support import detail_url, html
from tests.uploads import TEXT, pdf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("end", [State.ISSUED, State.REJECTED, State.EXPIRED, State.FAILED, State.WITHDRAWN])
def test_the_question_is_asked_at_every_end_and_thanks_after_the_answer(as_citizen, citizen, end):
    request = ServiceRequestFactory(citizen=citizen, submitted=True, state=end)
    page = html(as_citizen.get(detail_url(request)))
    assert "How satisfied are you with this service?" in page
    assert page.count('name="rating"') == 5
    assert "Very dissatisfied" in page and "Very satisfied" in page
    response = as_citizen.post(f"{detail_url(request)}satisfaction/", {"rating": "5"})
    assert response["Location"] == detail_url(request)
    page = html(as_citizen.get(detail_url(request)))
    assert "Thank you for your feedback" in page
    assert 'name="rating"' not in page
    assert as_citizen.post(f"{detail_url(request)}satisfaction/", {"rating": "1"}).status_code == 200
    assert SatisfactionAnswer.objects.get(request=request).rating == 5


def test_no_question_while_the_request_is_open(as_citizen, citizen):
    request = ServiceRequestFactory(citizen=citizen, in_review=True)
    assert 'name="rating"' not in html(as_citizen.get(detail_url(request)))
    assert as_citizen.post(f"{detail_url(request)}satisfaction/", {"rating": "4"}).status_code == 200
    assert not SatisfactionAnswer.objects.exists()


def test_no_choice_is_an_error_next_to_the_question(as_citizen, citizen):
    request = ServiceRequestFactory(citizen=citizen, submitted=True, state=State.ISSUED)
    page = html(as_citizen.post(f"{detail_url(request)}satisfaction/", {}))
    assert 'id="rating-error"' in page and "Choose how satisfied you are." in page
    assert 'href="#rating"' in page


def test_an_answer_takes_text_and_documents_and_the_timeline_lists_them(as_citizen, citizen):
    request = ServiceRequestFactory(citizen=citizen, info_requested=True)
    page = html(as_citizen.get(detail_url(request)))
    assert 'enctype="multipart/form-data"' in page and 'name="files" multiple' in page
    response = as_citizen.post(
        f"{detail_url(request)}respond/", {"message": "Here it is.", "files": [pdf("certificate.pdf"), pdf("b.pdf")]}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == State.IN_REVIEW
    assert Attachment.objects.filter(request=request).count() == 2
    page = html(as_citizen.get(detail_url(request)))
    attachment = Attachment.objects.get(original_name="certificate.pdf")
    assert f'href="/requests/{request.reference}/files/{attachment.public_id}/"' in page


def test_a_refused_document_in_an_answer_keeps_the_text_and_the_request_waiting(as_citizen, citizen):
    request = ServiceRequestFactory(citizen=citizen, info_requested=True)
    response = as_citizen.post(
        f"{detail_url(request)}respond/", {"message": "Attached.", "files": [pdf("notes.pdf", TEXT)]}
    )
    page = html(response)
    assert response.status_code == 200
    assert 'id="files-error"' in page and "“notes.pdf” is not a PDF, PNG or JPEG file." in page
    assert "Attached.</textarea>" in page
    request.refresh_from_db()
    assert request.state == State.INFO_REQUESTED
    assert not Attachment.objects.exists()
