"""Only the request's own citizen reaches its pages; everyone must sign in; every form carries a CSRF token."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.tracking import urls as tracking_urls
from services.attachments.models import Attachment
from services.documents.service import document_issue
from services.workflow.states import State
from tests.factories import ServiceRequestFactory
from tests.portal.tracking.support import attach

pytestmark = pytest.mark.django_db


def _urls_of(request):
    """Every URL of a request's pages, from the URL patterns, so a new page is covered without editing this test."""
    values = {"reference": request.reference, "public_id": Attachment.objects.get(request=request).public_id}
    return [
        reverse(pattern.name, kwargs={name: values[name] for name in pattern.pattern.converters})
        for pattern in tracking_urls.urlpatterns
        if pattern.pattern.converters
    ]


@pytest.fixture
def tracked(citizen):
    """A request in information-requested state that also has a document and an uploaded file, so every
    page has something to show."""
    request = ServiceRequestFactory(citizen=citizen, submitted=True, state=State.APPROVED)
    document_issue(request=request)
    attach(request)
    request.state = State.INFO_REQUESTED
    request.save()
    return request


def test_every_page_covers_all_patterns_but_the_list(tracked):
    assert len(_urls_of(tracked)) == len(tracking_urls.urlpatterns) - 1


def test_another_citizen_gets_404_on_every_page_of_someone_elses_request(tracked, someone_else):
    for url in _urls_of(tracked):
        assert someone_else.get(url).status_code == 404, url
        assert someone_else.post(url, {"confirm": "yes", "message": "mine now"}).status_code in (404, 405), url
    for url in [
        reverse("request_withdraw", args=[tracked.reference]),
        reverse("request_respond", args=[tracked.reference]),
    ]:
        assert someone_else.post(url, {"confirm": "yes", "message": "mine now"}).status_code == 404, url
    tracked.refresh_from_db()
    assert tracked.state == State.INFO_REQUESTED
    assert tracked.reference not in someone_else.get("/requests/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(tracked):
    anonymous = Client()
    for url in ["/requests/", *_urls_of(tracked)]:
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_the_forms_carry_a_csrf_token_and_posts_without_one_are_refused(citizen, tracked):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(citizen)
    page = browser.get(reverse("request_detail", args=[tracked.reference])).content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 3  # respond, withdraw, and the log-out button
    response = browser.post(reverse("request_withdraw", args=[tracked.reference]), {"confirm": "yes"})
    assert response.status_code == 403
    tracked.refresh_from_db()
    assert tracked.state == State.INFO_REQUESTED


def test_a_get_on_a_form_url_goes_back_to_the_request_page(as_citizen, tracked):
    for name in ["request_withdraw", "request_respond"]:
        response = as_citizen.get(reverse(name, args=[tracked.reference]))
        assert response.status_code == 302
        assert response["Location"] == reverse("request_detail", args=[tracked.reference])
