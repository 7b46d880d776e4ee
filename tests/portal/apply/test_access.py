"""Only the draft's own citizen reaches it; everyone must sign in; every form carries a CSRF token."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.apply import urls as apply_urls
from services.registries import demo
from services.workflow.models import ServiceRequest
from tests.factories import UserFactory
from tests.portal.apply.support import check_url, citizen_actions, done_url, html, page_url, start

pytestmark = pytest.mark.django_db

START = "/services/criminal-record-certificate/apply/"


def _urls_of(draft):
    """Every apply URL of a draft, from the URL patterns, so a new page is covered without editing this test."""
    values = {"reference": draft.reference, "page": "purpose"}
    return [
        reverse(
            pattern.name,
            kwargs={"code": draft.service.code, **{name: values[name] for name in pattern.pattern.converters}},
        )
        for pattern in apply_urls.urlpatterns
    ]


@pytest.fixture
def draft(as_citizen):
    draft, first = start(as_citizen, "criminal-record-certificate")
    as_citizen.post(first, {"purpose": "employment"})
    return draft


@pytest.fixture
def someone_else():
    client = Client()
    client.force_login(UserFactory(iin=demo.CONVICTED))
    return client


def test_another_citizen_gets_404_on_every_page_of_someone_elses_draft(draft, someone_else):
    for url in _urls_of(draft)[1:]:
        assert someone_else.get(url).status_code == 404, url
        posted = someone_else.post(url, {"purpose": "other", "declaration": "yes"})
        # The confirmation takes no POST from anyone: 405 before any look-up reveals nothing.
        assert posted.status_code == (405 if url == done_url(draft) else 404), url
    response = someone_else.post(START, {"action": "resume", "reference": draft.reference})
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.form_data == {"purpose": "employment"}
    assert citizen_actions(draft) == ["started", "step_saved"]


def test_another_citizen_gets_404_on_a_submitted_request_too(as_citizen, draft, someone_else):
    as_citizen.post(check_url(draft), {"declaration": "yes"})
    assert someone_else.get(done_url(draft)).status_code == 404


def test_a_draft_is_not_reached_under_another_services_code(as_citizen, draft):
    url = f"/services/residence-registration/apply/{draft.reference}/check/"
    assert as_citizen.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(draft):
    anonymous = Client()
    for url in _urls_of(draft):
        for response in (anonymous.get(url), anonymous.post(url, {"action": "start"})):
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/?next=")
    assert ServiceRequest.objects.count() == 1


def test_every_form_needs_its_csrf_token(citizen, draft):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(citizen)
    assert browser.post(START, {"action": "start"}).status_code == 403
    assert browser.post(page_url(draft, "purpose"), {"purpose": "other"}).status_code == 403
    assert browser.post(check_url(draft), {"declaration": "yes"}).status_code == 403
    for url in (START, page_url(draft, "purpose"), check_url(draft)):
        assert "csrfmiddlewaretoken" in html(browser.get(url))


def test_an_unknown_page_or_service_is_404(as_citizen, draft):
    assert as_citizen.get(page_url(draft, "nowhere")).status_code == 404
    assert as_citizen.get("/services/no-such-service/apply/").status_code == 404


def test_an_unknown_action_on_the_start_page_is_refused(as_citizen):
    assert as_citizen.post(START, {"action": "explode"}).status_code == 400
    assert not ServiceRequest.objects.exists()
