"""A new citizen's whole journey in Chromium, with JavaScript on and with it switched off.

Sign up with the SMS code, consent, find the criminal-record certificate by searching, apply,
download the issued PDF; then apply for an ID card, which an officer decides: the officer asks
for information (the workflow function, until the back office lands), the citizen answers in the
page, the officer approves, and the citizen sees the decision and the document.
"""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from services.catalogue.models import Agency
from services.registries import demo
from services.workflow.models import ServiceRequest
from services.workflow.states import Action, Channel, State
from services.workflow.transitions import transition
from tests.factories import StaffFactory
from tests.uploads import PDF

pytestmark = pytest.mark.e2e

NEW_CITIZEN = demo.CITIZEN  # a demo person with a clean record, and no account in a fresh database
PASSWORD = "a long enough passphrase 2026"
OFFICER_QUESTION = "Which office should we send your old ID card to?"
CITIZEN_ANSWER = "I will bring my old ID card to the Astana office."


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def citizen_page(request, browser, portal):
    """A fresh browser tab reading the portal in English, with JavaScript on or off."""
    context = browser.new_context(java_script_enabled=request.param, accept_downloads=True)
    context.add_cookies([{"name": "django_language", "value": "en", "url": portal}])
    yield context.new_page()
    context.close()


def test_a_new_citizen_signs_up_applies_and_receives_both_documents(citizen_page, portal, sms_outbox, tmp_path):
    page = citizen_page
    _sign_up(page, portal, sms_outbox)

    _find_the_service(page, portal, "criminal record", "Criminal record certificate")
    reference = _apply(page, [lambda: page.select_option("select[name=purpose]", "employment")])
    page.goto(f"{portal}/requests/{reference}/")
    expect(page.locator(".tag").first).to_have_text("Issued")
    _assert_downloads_a_signed_pdf(page, tmp_path, reference)

    _find_the_service(page, portal, "passport", "ID card or passport")
    reference = _apply(
        page, [lambda: _id_card_document(page), lambda: _id_card_collection(page), lambda: _id_card_scan(page)]
    )
    request = ServiceRequest.objects.get(reference=reference)
    assert request.state == State.IN_REVIEW
    officer = StaffFactory(agency=Agency.objects.get(code=request.service.agency.code))
    transition(
        request=request,
        action=Action.REQUEST_INFO,
        user=officer,
        channel=Channel.WEB,
        payload={"message": OFFICER_QUESTION},
    )

    page.goto(f"{portal}/requests/{reference}/")
    expect(page.locator(".question")).to_have_text(OFFICER_QUESTION)  # above the answer box
    page.fill("textarea[name=message]", CITIZEN_ANSWER)
    page.get_by_role("button", name="Send your answer").click()
    expect(page.locator(".banner")).to_contain_text("Your answer has been sent to the officer.")
    expect(page.locator("main")).to_contain_text(CITIZEN_ANSWER)
    request.refresh_from_db()
    assert request.state == State.IN_REVIEW

    transition(request=request, action=Action.APPROVE, user=officer, channel=Channel.WEB)
    page.reload()
    expect(page.locator(".tag").first).to_have_text("Issued")
    expect(page.locator("main")).to_contain_text("Approved")
    _assert_downloads_a_signed_pdf(page, tmp_path, reference)


def _sign_up(page, portal, sms_outbox):
    page.goto(f"{portal}/")
    page.get_by_role("link", name="Create an account").click()
    page.fill("input[name=iin]", NEW_CITIZEN)
    page.fill("input[name=email]", "aidos@example.kz")
    page.fill("input[name=password]", PASSWORD)
    page.check("input[name=consent]")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Enter the code from the SMS")
    assert len(sms_outbox) == 1
    code = re.search(r"\b(\d{6})\b", sms_outbox[0].text).group(1)
    page.fill("input[name=code]", code)
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator(".banner")).to_contain_text("Your account is open. You are logged in.")


def _find_the_service(page, portal, words, name):
    page.goto(f"{portal}/")
    page.fill("input[name=q]", words)
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"/services/\?q="))
    page.locator(".result__name").get_by_role("link", name=name).click()
    expect(page.locator("h1")).to_have_text(name)
    page.get_by_role("link", name=re.compile("^Start now")).click()


def _apply(page, question_pages):
    """From the service's start page to the confirmation, answering each question page; the reference shown."""
    page.get_by_role("button", name=re.compile("^Start")).click()
    for answer_the_questions in question_pages:
        answer_the_questions()
        page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers before sending your application")
    page.check("input[name=declaration]")
    page.get_by_role("button", name="Submit application").click()
    page.wait_for_url(re.compile(r"/done/$"))
    reference = page.url.rstrip("/").split("/")[-2]
    expect(page.locator("main")).to_contain_text(reference)
    return reference


def _id_card_document(page):
    expect(page.locator("h1")).to_have_text("The document")
    page.check("input[name=document_type][value=id_card]")
    page.select_option("select[name=reason]", "expiry")


def _id_card_collection(page):
    expect(page.locator("h1")).to_have_text("When and where to collect it")
    page.check("input[name=urgency][value=standard]")
    expect(page.locator("select[name=pickup_region]")).to_have_value("astana")  # pre-filled from the register
    page.fill("input[name=pickup_office]", "Public Service Centre No. 1, Astana")


def _id_card_scan(page):
    expect(page.locator("h1")).to_have_text("Documents")
    scan = {"name": "old-id-card.pdf", "mimeType": "application/pdf", "buffer": PDF}
    page.set_input_files("input[name=previous_identity_document]", files=[scan])


def _assert_downloads_a_signed_pdf(page, tmp_path, reference):
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your document").click()
    download = download_info.value
    assert download.suggested_filename == f"{reference}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    reader = PdfReader(io.BytesIO(saved.read_bytes()))
    assert len(reader.pages) == 1
    assert reference in reader.pages[0].extract_text()
