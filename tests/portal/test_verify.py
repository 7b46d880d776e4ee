from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from services.documents.codes import format_code, generate_code
from services.documents.service import MAX_UPLOAD_BYTES, document_issue
from services.documents.signing import generate_key, public_key_base64, public_key_fingerprint
from tests.services.documents.support import TEST_SIGNING_KEY, approved_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def verify_settings(settings, tmp_path):
    """A fixed signing key, files in a temporary MEDIA_ROOT, and a fresh rate-limit count per test."""
    settings.DOCUMENT_SIGNING_KEY = TEST_SIGNING_KEY
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def document():
    return document_issue(request=approved_request(language="kk"))


def _pdf(document):
    with document.file.open("rb") as file:
        return file.read()


def _upload(client, data, name="document.pdf"):
    return client.post("/verify/", {"document": SimpleUploadedFile(name, data, content_type="application/pdf")})


def test_the_start_page_offers_a_code_and_an_upload_with_labelled_fields(client):
    response = client.get("/verify/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_code">' in html
    assert '<label for="id_document">' in html
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html
    assert "<script" not in html


def test_a_code_entered_in_the_form_leads_to_its_result_page(client, document):
    typed = format_code(document.verification_code).lower()
    response = client.get("/verify/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{document.verification_code}/"


def test_a_code_that_cannot_be_a_code_is_shown_next_to_the_field(client):
    response = client.get("/verify/", {"code": "hello"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_code-error"' in html
    assert 'aria-describedby="id_code-hint id_code-error"' in html
    assert 'aria-invalid="true"' in html
    assert "20 letters and digits" in html


def test_a_genuine_document_shows_genuine_with_its_essentials(client, document):
    response = client.get(f"/verify/{document.verification_code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Genuine" in html
    assert "Not valid" not in html
    request = document.request
    assert request.reference in html
    assert "Registration at the place of residence" in html  # in the reader's language
    iin = request.citizen.iin
    assert f"{iin[:6]}*****{iin[-1]}" in html
    assert iin not in html
    assert public_key_fingerprint() in html
    assert "BEGIN PUBLIC KEY" in html
    assert response["X-Robots-Tag"] == "noindex"


def test_a_document_signed_before_a_key_rotation_shows_the_key_it_was_signed_with(client, document, settings):
    old_fingerprint, retired = public_key_fingerprint(), public_key_base64()
    settings.DOCUMENT_SIGNING_KEY = generate_key()
    settings.DOCUMENT_SIGNING_KEYS_RETIRED = [retired]

    html = client.get(f"/verify/{document.verification_code}/").content.decode()

    assert "Genuine" in html and old_fingerprint in html and public_key_fingerprint() not in html
    assert "signed with an earlier key of the portal" in html


def test_a_code_in_another_spelling_is_redirected_to_its_canonical_address(client, document):
    response = client.get(f"/verify/{format_code(document.verification_code).lower()}/")
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{document.verification_code}/"


def test_a_made_up_code_is_not_valid(client, document):
    response = client.get(f"/verify/{generate_code()}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not valid" in html
    assert "Genuine" not in html
    assert document.request.reference not in html


def test_an_uploaded_genuine_pdf_is_genuine(client, document):
    response = _upload(client, _pdf(document))
    assert response.status_code == 200
    assert "Genuine" in response.content.decode()


def test_an_uploaded_pdf_with_one_byte_changed_is_not_valid(client, document):
    changed = bytearray(_pdf(document))
    changed[len(changed) // 2] ^= 0x01
    response = _upload(client, bytes(changed))
    html = response.content.decode()
    assert "Not valid" in html
    assert "changed" in html
    assert document.request.reference not in html


def test_an_upload_that_is_not_a_pdf_gets_a_clear_message_by_the_field(client):
    response = _upload(client, b"\x89PNG\r\n\x1a\n not a pdf", name="photo.png")
    assert response.status_code == 400
    html = response.content.decode()
    assert "The file is not a PDF." in html
    assert 'id="id_document-error"' in html
    assert 'aria-describedby="id_document-hint id_document-error"' in html


def test_an_empty_upload_or_none_gets_a_message(client):
    assert "The file is empty." in _upload(client, b"").content.decode()
    assert "Choose the PDF file to check." in client.post("/verify/", {}).content.decode()


def test_an_upload_declared_too_large_is_refused_without_reading_it(client):
    response = client.generic(
        "POST",
        "/verify/",
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(MAX_UPLOAD_BYTES * 3),
    )
    assert response.status_code == 413
    assert "larger than 5 MB" in response.content.decode()


def test_a_file_just_over_the_limit_is_refused_by_the_form(client):
    response = _upload(client, b"%PDF-" + b"0" * MAX_UPLOAD_BYTES)
    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()


def test_the_upload_is_protected_against_cross_site_requests(document):
    client = Client(enforce_csrf_checks=True)
    response = _upload(client, _pdf(document))
    assert response.status_code == 403
    client.get("/verify/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/verify/",
        {
            "csrfmiddlewaretoken": token,
            "document": SimpleUploadedFile("d.pdf", _pdf(document), content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "Genuine" in response.content.decode()


def test_the_page_speaks_the_readers_language(client, document):
    response = client.get(f"/verify/{document.verification_code}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert 'lang="ru"' in response.content.decode()
    assert "Регистрация по месту жительства" in response.content.decode()


@pytest.mark.parametrize("path", ["/verify/", "/verify/ABCDEFGHJKMNPQRSTVWX/"])
def test_too_many_checks_from_one_address_get_429(client, settings, path):
    settings.VERIFY_RATE_LIMIT = "3/m"
    with time_machine.travel(datetime(2026, 3, 21, 10, 0, 5, tzinfo=UTC), tick=False):
        statuses = [client.get(path).status_code for _ in range(4)]
        other = client.get(path, REMOTE_ADDR="10.0.0.2").status_code
    assert statuses == [200, 200, 200, 429]
    assert other == 200  # counted per client address


def test_the_429_page_is_friendly(client, settings):
    settings.VERIFY_RATE_LIMIT = "1/m"
    with time_machine.travel(datetime(2026, 3, 21, 10, 0, 5, tzinfo=UTC), tick=False):
        client.get("/verify/")
        response = client.get("/verify/")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Too many checks" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
