"""Uploading documents on a question page: a file input in a multipart form, refusals next to the field,
the draft kept, the files listed on "Check your answers" and served only as downloads."""

from pathlib import Path

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils import timezone

from services.attachments.models import Attachment
from services.workflow.models import ServiceRequest
from tests.factories import StaffFactory
from tests.portal.apply.support import check_url, html, page_url, start
from tests.uploads import PDF, PNG, TEXT, pdf, png

pytestmark = pytest.mark.django_db

FIELD = "medical_birth_certificate"
CHILD = {
    "child_last_name": "Серикбаев",
    "child_first_name": "Алихан",
    "child_birth_date": "2026-11-20",
    "child_sex": "male",
}


@pytest.fixture
def browser(as_citizen, settings):
    as_citizen.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return as_citizen


@pytest.fixture
def draft(browser):
    draft, _ = start(browser, "birth-registration")
    assert browser.post(page_url(draft, "child"), CHILD).status_code == 302
    return draft


def _documents(browser, draft, data):
    return browser.post(page_url(draft, "documents"), data)


def _field_error(page):
    start = page.index(f'id="f-{FIELD}-error"')
    return page[start : page.index("</p>", start)]


def test_the_documents_page_is_a_multipart_form_with_a_file_input(browser, draft):
    page = html(browser.get(page_url(draft, "documents")))
    assert 'enctype="multipart/form-data"' in page
    assert f'type="file" id="f-{FIELD}" name="{FIELD}"' in page
    assert 'accept=".pdf,.png,.jpg,.jpeg' in page


def test_an_uploaded_file_is_kept_across_saves_and_listed_on_check_your_answers(browser, draft):
    assert _documents(browser, draft, {FIELD: pdf("birth certificate.pdf")}).status_code == 302
    attachment = Attachment.objects.get(request=draft)
    draft.refresh_from_db()
    assert draft.form_data[FIELD] == str(attachment.public_id)
    page = html(browser.get(page_url(draft, "documents")))
    assert "birth certificate.pdf" in page
    assert f'type="hidden" name="{FIELD}" value="{attachment.public_id}"' in page
    # Saving again without choosing a file keeps the one uploaded.
    assert _documents(browser, draft, {FIELD: str(attachment.public_id)}).status_code == 302
    draft.refresh_from_db()
    assert draft.form_data[FIELD] == str(attachment.public_id)
    assert "birth certificate.pdf" in html(browser.get(check_url(draft)))


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf("big.pdf", PDF + b"0" * 2000), "“big.pdf” is larger than 1000"),
        (lambda: pdf("letter.pdf", TEXT), "“letter.pdf” is not a PDF, PNG or JPEG file."),
        (lambda: pdf("photo.pdf", PNG), "The content of “photo.pdf” does not match its name: it is a PNG file."),
    ],
)
def test_a_refused_upload_says_why_next_to_the_field_and_the_draft_is_kept(browser, draft, settings, upload, message):
    settings.UPLOAD_MAX_BYTES = 1000
    assert _documents(browser, draft, {FIELD: png("first.png")}).status_code == 302
    draft.refresh_from_db()
    saved = dict(draft.form_data)
    # As a browser sends it: the page's hidden input with the file uploaded before, and the new file.
    response = _documents(browser, draft, {FIELD: [saved[FIELD], upload()]})
    assert response.status_code == 200
    page = html(response)
    assert message in _field_error(page)
    assert f'href="#f-{FIELD}"' in page  # and in the error summary
    draft.refresh_from_db()
    assert draft.form_data == saved
    assert CHILD["child_first_name"] == draft.form_data["child_first_name"]
    assert Attachment.objects.filter(request=draft).count() == 1
    assert "first.png" in page  # the file uploaded before is still there


def test_a_name_with_folders_never_leaves_the_attachments_folder(browser, draft, media_root):
    """Django keeps only the last part of a multipart file name; the domain refuses the rest outright
    (tests/services/attachments). Either way the stored name is generated."""
    body = encode_multipart(BOUNDARY, {FIELD: pdf()}).replace(
        b'filename="scan.pdf"', b'filename="../../../etc/passwd.pdf"'
    )
    response = browser.generic("POST", page_url(draft, "documents"), body, content_type=MULTIPART_CONTENT)
    assert response.status_code == 302
    attachment = Attachment.objects.get(request=draft)
    assert attachment.original_name == "passwd.pdf"
    assert Path(attachment.file.path).resolve().parent.is_relative_to(media_root.resolve() / "attachments")
    assert not (media_root.parent / "etc").exists()


def test_a_file_of_another_draft_is_refused(browser, draft, citizen):
    other, _ = start(browser, "birth-registration")
    _documents(browser, other, {FIELD: pdf("other.pdf")})
    foreign = Attachment.objects.get(request=other)
    response = _documents(browser, draft, {FIELD: str(foreign.public_id)})
    assert response.status_code == 200
    assert "that file is not part of this application" in _field_error(html(response))
    draft.refresh_from_db()
    assert FIELD not in draft.form_data


def test_a_missing_required_document_asks_for_an_upload(browser, draft):
    response = _documents(browser, draft, {})
    assert "Upload “Medical birth certificate”." in _field_error(html(response))


def test_the_citizen_downloads_the_file_as_an_attachment_that_is_not_sniffed(browser, draft):
    _documents(browser, draft, {FIELD: pdf("birth certificate.pdf")})
    attachment = Attachment.objects.get(request=draft)
    response = browser.get(f"/requests/{draft.reference}/files/{attachment.public_id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF


def test_staff_do_not_download_through_the_citizens_address_but_in_the_back_office(browser, draft, client):
    _documents(browser, draft, {FIELD: pdf("birth certificate.pdf")})
    attachment = Attachment.objects.get(request=draft)
    ServiceRequest.objects.filter(pk=draft.pk).update(submitted_at=timezone.now())  # staff may see it now
    client.force_login(StaffFactory(agency=draft.service.agency))
    assert client.get(f"/requests/{draft.reference}/files/{attachment.public_id}/").status_code == 404


def test_a_file_accepted_beside_a_refused_one_stays_the_answer_to_its_question(browser):
    draft, _ = start(browser, "vehicle-registration")
    url = page_url(draft, "documents")
    response = browser.post(url, {"technical_passport": pdf("passport.pdf"), "ownership_proof": pdf("deed.pdf", TEXT)})
    assert response.status_code == 200
    page = html(response)
    start_of_error = page.index('id="f-ownership_proof-error"')
    assert "“deed.pdf” is not a PDF, PNG or JPEG file." in page[start_of_error : page.index("</p>", start_of_error)]
    accepted = Attachment.objects.get(request=draft, field="technical_passport")

    # Leaving and coming back, the accepted file is still the page's answer to its question...
    page = html(browser.get(url))
    assert "passport.pdf" in page
    assert f'type="hidden" name="technical_passport" value="{accepted.public_id}"' in page
    # ...and is saved with the page once the other file is accepted, without choosing it again.
    response = browser.post(url, {"technical_passport": str(accepted.public_id), "ownership_proof": pdf("deed.pdf")})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.form_data["technical_passport"] == str(accepted.public_id)
    assert draft.form_data["ownership_proof"] == str(
        Attachment.objects.get(request=draft, field="ownership_proof").public_id
    )
