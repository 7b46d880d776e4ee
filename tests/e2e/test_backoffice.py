"""The clerk's journey in Chromium: one-time-code login, the overdue filter, claim, information request,
approval after the citizen's answer; the citizen sees the result. axe-core checks each back-office page."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from services.accounts.totp import totp_code_now, totp_device_ensure, totp_enrolment_open
from services.catalogue.models import Service
from services.registries.prefill import prefill_for
from services.workflow.models import ServiceRequest
from services.workflow.service import draft_complete, draft_start, request_respond
from services.workflow.states import State
from tests.e2e.conftest import log_in, serious_violations
from tests.factories import StaffFactory, UserFactory
from tests.otp import verified_client
from tests.uploads import uploaded_scan

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"
IDENTITY_CARD = {
    "document_type": "id_card",
    "reason": "expiry",
    "urgency": "standard",
    "pickup_office": "Public service centre No. 1",
}


def _overdue_request_in_review(citizen) -> ServiceRequest:
    """A real identity-document request, checked and routed to an officer, then made overdue."""
    service = Service.objects.get(code="identity-document")
    draft = draft_start(citizen=citizen, service=service)
    scan = {"previous_identity_document": uploaded_scan(draft, "previous_identity_document")}
    answers = {**prefill_for(citizen=citizen, form=service.form), **IDENTITY_CARD, **scan}
    request = draft_complete(request=draft, user=citizen, answers=answers)
    request.refresh_from_db()
    assert request.state == State.IN_REVIEW
    ServiceRequest.objects.filter(pk=request.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    return request


def _staff_log_in(page, base_url: str, clerk, axe) -> None:
    device = totp_device_ensure(user=clerk)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base_url}])
    page.goto(f"{base_url}/backoffice/login/")
    assert serious_violations(axe, page) == []
    page.get_by_label("IIN").fill(clerk.iin)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("One-time code").fill(totp_code_now(device))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Queue")).to_be_visible()


def test_a_clerk_works_an_overdue_request_from_the_queue_to_approval(page, browser, portal, axe):
    service = Service.objects.get(code="identity-document")
    clerk = StaffFactory(agency=service.agency, first_name="Aigerim", last_name="Bekova")
    citizen = UserFactory(first_name="Aidos", last_name="Serikbayev")
    request = _overdue_request_in_review(citizen)

    _staff_log_in(page, portal, clerk, axe)
    page.get_by_label("Deadline").select_option("overdue")
    page.get_by_role("button", name="Show requests").click()
    assert serious_violations(axe, page) == []
    page.get_by_role("link", name=request.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Request {request.reference}")
    assert serious_violations(axe, page) == []

    page.get_by_role("button", name="Claim this request").click()
    expect(page.get_by_role("status")).to_contain_text("You have claimed this request.")
    page.get_by_label("What do you need from the citizen?").fill("Please send a photo of your old card.")
    page.get_by_role("button", name="Send the information request").click()
    expect(page.locator("#request-state")).to_have_text("Information requested")

    request_respond(request=request, user=citizen, message="The photo is attached at the counter.")
    page.reload()
    expect(page.get_by_text("The photo is attached at the counter.")).to_be_visible()
    page.get_by_role("button", name="Approve the request").click()
    expect(page.get_by_role("status")).to_contain_text("The request has been approved.")
    expect(page.locator("#request-state")).to_have_text(re.compile("Approved|Issued"))

    citizen_page = browser.new_context().new_page()
    log_in(citizen_page, portal, iin=citizen.iin, password=PASSWORD)
    citizen_page.goto(f"{portal}/requests/{request.reference}/")
    expect(citizen_page.locator(".tag").first).to_have_text(re.compile("Approved|Issued"))
    expect(citizen_page.get_by_role("heading", name="Who has seen your data")).to_be_visible()
    expect(citizen_page.get_by_text("Aigerim Bekova").first).to_be_visible()
    expect(citizen_page.get_by_text("Please send a photo of your old card.")).to_be_visible()
    citizen_page.context.close()


def test_the_supervisor_and_counter_pages_have_no_serious_accessibility_problems(page, portal, axe):
    service = Service.objects.get(code="identity-document")
    supervisor = StaffFactory(agency=service.agency, supervisor=True)
    _overdue_request_in_review(UserFactory())
    _staff_log_in(page, portal, supervisor, axe)
    for path in ("/backoffice/team/", "/backoffice/assisted/"):
        page.goto(f"{portal}{path}")
        assert serious_violations(axe, page) == [], path
    page.get_by_role("button", name="Continue").click()  # empty form: the error summary
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert serious_violations(axe, page) == []


def test_a_newcomer_sets_up_their_authenticator_from_the_qr_code_page(page, portal, axe):
    clerk = StaffFactory()
    device = totp_enrolment_open(user=clerk, by=UserFactory(is_staff=True, is_superuser=True))
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": portal}])
    page.goto(f"{portal}/backoffice/login/")
    page.get_by_label("IIN").fill(clerk.iin)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1, name="Set up your authenticator")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of your new authenticator")).to_be_visible()
    assert serious_violations(axe, page) == []
    page.get_by_label("One-time code").fill(totp_code_now(device))
    page.get_by_role("button", name="Confirm and log in").click()

    expect(page.get_by_role("heading", level=1, name="Queue")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Your authenticator is set up.")


def test_no_back_office_page_scrolls_sideways_at_375_px(browser, portal):
    """The queue, a request with its checks and the team page, in Kazakh (the longest words): wide
    tables scroll inside their own region, never the page."""
    service = Service.objects.get(code="identity-document")
    supervisor = StaffFactory(agency=service.agency, supervisor=True, first_name="Гүлназ", last_name="Төлеубекова")
    request = _overdue_request_in_review(UserFactory(first_name="Айдос", last_name="Серікбаев"))
    ServiceRequest.objects.filter(pk=request.pk).update(assignee=supervisor, escalated=True)
    session = verified_client(supervisor, language="kk").cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(viewport={"width": 375, "height": 740})
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "kk", "url": portal},
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": portal},
        ]
    )
    page = context.new_page()
    too_wide = {}
    for path in ("/backoffice/", f"/backoffice/requests/{request.reference}/", "/backoffice/team/"):
        response = page.goto(f"{portal}{path}")
        assert response is not None and response.status == 200, path
        wrapped = page.locator(".table-scroll[role=region][tabindex='0'] > table").count()
        assert page.locator("table").count() == wrapped > 0, path
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > 375:
            too_wide[path] = width
    context.close()
    assert too_wide == {}
