import hashlib
import io
import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import translation
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from services.documents.codes import ALPHABET, format_code, generate_code
from services.documents.models import DocumentKind, ResultDocument
from services.documents.service import (
    MAX_UPLOAD_BYTES,
    Reason,
    document_issue,
    document_verify_code,
    document_verify_pdf,
    mask_iin,
)
from services.documents.signing import generate_key, public_key_base64, public_key_fingerprint, signature_is_valid
from services.workflow.models import ServiceRequest
from services.workflow.states import State
from tests.factories import ServiceRequestFactory
from tests.services.documents.support import approved_request, rejected_request

pytestmark = pytest.mark.django_db


def _bytes(document):
    with document.file.open("rb") as file:
        return file.read()


def test_an_approved_request_gets_its_service_document_signed_and_stored(settings):
    request = approved_request(language="kk")
    with time_machine.travel(datetime(2026, 12, 31, 20, 0, tzinfo=UTC), tick=False):
        document = document_issue(request=request)
    data = _bytes(document)
    assert document.kind == DocumentKind.CERTIFICATE
    assert document.language == "kk"
    assert re.fullmatch(f"[{ALPHABET}]{{20}}", document.verification_code)
    # A generated name: the year of issue and the code; never anything the user chose.
    assert document.file.name == f"documents/2026/{document.verification_code}.pdf"
    assert str(settings.MEDIA_ROOT) in document.file.path
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert signature_is_valid(data, document.signature)
    assert data.startswith(b"%PDF-")
    request.refresh_from_db()
    assert request.state == State.APPROVED  # issuing is the caller's move, not this function's


def test_a_rejected_request_gets_a_refusal_letter():
    document = document_issue(request=rejected_request())
    assert document.kind == DocumentKind.REFUSAL_LETTER
    assert "The owner of the address did not give consent." in PdfReader(document.file.path).pages[0].extract_text()


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.WITHDRAWN, State.ISSUED])
def test_an_undecided_request_gets_no_document(state):
    with pytest.raises(ValueError, match="only approved or rejected"):
        document_issue(request=ServiceRequestFactory(state=state))
    assert not ResultDocument.objects.exists()


def test_issuing_twice_returns_the_same_document():
    request = approved_request()
    first = document_issue(request=request)
    request.refresh_from_db()
    second = document_issue(request=request)
    assert second.pk == first.pk
    assert second.verification_code == first.verification_code
    assert ResultDocument.objects.filter(request=request).count() == 1


def test_the_database_refuses_a_second_document_for_a_request():
    request = approved_request()
    first = document_issue(request=request)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResultDocument.objects.create(
            request=request,
            kind=first.kind,
            language=first.language,
            verification_code=generate_code(),
            file=first.file.name,
            sha256=first.sha256,
            signature=first.signature,
        )


def test_a_lost_file_is_rebuilt_identically_on_the_next_issue():
    request = ServiceRequest.objects.get(pk=approved_request().pk)  # as the outbox handler loads it
    document = document_issue(request=request)
    original = _bytes(document)
    document.file.storage.delete(document.file.name)
    assert document_verify_code(document.verification_code).reason == Reason.UNAVAILABLE
    document_issue(request=request)
    assert _bytes(document) == original
    assert document_verify_code(document.verification_code).valid


def test_a_genuine_document_verifies_by_code_with_its_essentials():
    request = approved_request(language="kk")
    with time_machine.travel(datetime(2026, 3, 20, 20, 30, tzinfo=UTC), tick=False):
        document = document_issue(request=request)
    with translation.override("en"):
        result = document_verify_code(document.verification_code)
    assert result.valid
    assert result.reason == ""
    assert result.kind == DocumentKind.CERTIFICATE
    assert result.kind_label == "Certificate"
    assert result.service_name == "Registration at the place of residence"  # in the reader's language
    assert result.reference == request.reference
    assert result.holder_name == request.citizen.get_full_name()
    iin = request.citizen.iin
    assert result.holder_iin == f"{iin[:6]}*****{iin[-1]}"
    assert iin not in repr(result)
    assert result.issued_on == date(2026, 3, 21)  # the local date in Almaty
    assert (result.sha256, result.signature) == (document.sha256, document.signature)


def test_a_code_is_accepted_as_a_person_would_type_it():
    document = document_issue(request=approved_request())
    typed = format_code(document.verification_code).lower()
    assert document_verify_code(typed).valid


def test_a_made_up_code_is_not_valid():
    document_issue(request=approved_request())
    result = document_verify_code(generate_code())
    assert not result.valid
    assert result.reason == Reason.UNKNOWN_CODE
    assert result.holder_name == ""


@pytest.mark.parametrize("code", ["", "123", "' OR 1=1 --", "ABCDEFGHJKMNPQRSTVWU", "x" * 500])
def test_something_that_is_not_a_code_is_not_valid(code):
    assert document_verify_code(code).reason == Reason.MALFORMED_CODE


def test_a_stored_file_changed_behind_the_portals_back_is_not_valid():
    document = document_issue(request=approved_request())
    data = bytearray(_bytes(document))
    data[-20] ^= 0x01
    with open(document.file.path, "wb") as file:
        file.write(data)
    assert document_verify_code(document.verification_code).reason == Reason.ALTERED


def test_a_genuine_pdf_verifies_by_upload():
    document = document_issue(request=approved_request())
    result = document_verify_pdf(_bytes(document))
    assert result.valid
    assert result.code == document.verification_code


def test_the_same_pdf_with_one_byte_changed_is_not_valid():
    document = document_issue(request=approved_request())
    original = _bytes(document)
    for position in (len(original) // 2, len(original) - 10):
        changed = bytearray(original)
        changed[position] ^= 0x01
        result = document_verify_pdf(bytes(changed))
        assert not result.valid
        assert result.reason == Reason.ALTERED


def test_a_copy_saved_again_by_another_program_is_not_valid():
    document = document_issue(request=approved_request())
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_bytes(document))))
    resaved = io.BytesIO()
    writer.write(resaved)
    result = document_verify_pdf(resaved.getvalue())
    assert result.reason == Reason.ALTERED  # the code is still found, but the bytes are not the signed ones


def test_a_pdf_the_portal_did_not_issue_is_not_valid():
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(100, 700, "Certificate, honest")
    canvas.save()
    assert document_verify_pdf(buffer.getvalue()).reason == Reason.NO_CODE


def test_a_pdf_naming_a_made_up_code_is_not_valid():
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setKeywords("egov-verification-code:" + generate_code())
    canvas.save()
    assert document_verify_pdf(buffer.getvalue()).reason == Reason.UNKNOWN_CODE


def test_the_code_is_found_in_the_raw_bytes_when_the_pdf_does_not_parse():
    document = document_issue(request=approved_request())
    data = _bytes(document)
    broken = data[: data.index(b"xref")] + b"garbage instead of the cross-reference table"
    result = document_verify_pdf(broken)
    assert result.code == document.verification_code
    assert result.reason == Reason.ALTERED


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", Reason.EMPTY),
        (b"PK\x03\x04 a zip file, not a PDF", Reason.NOT_PDF),
        (b"<html>%PDF-</html>" + b" " * 2000, Reason.NO_CODE),
        ("привет".encode() * 10, Reason.NOT_PDF),
        (b"%PDF-" + b"\0" * MAX_UPLOAD_BYTES, Reason.TOO_LARGE),
        (b"%PDF-1.7\n%%EOF", Reason.NO_CODE),
    ],
)
def test_bad_input_is_not_valid_with_a_reason_and_never_an_error(data, reason):
    result = document_verify_pdf(data)
    assert not result.valid
    assert result.reason == reason


def test_an_iin_is_masked_but_for_the_birth_date_and_check_digit():
    assert mask_iin("900101300007") == "900101*****7"
    assert mask_iin("short") == "*****"


def test_after_a_key_rotation_earlier_documents_still_verify_against_the_retired_key(settings):
    settings.DOCUMENT_SIGNING_KEY = generate_key()
    earlier = document_issue(request=approved_request())
    old_fingerprint, retired = public_key_fingerprint(), public_key_base64()

    settings.DOCUMENT_SIGNING_KEY = generate_key()
    assert not document_verify_code(earlier.verification_code).valid  # the old key not listed: not genuine

    settings.DOCUMENT_SIGNING_KEYS_RETIRED = [retired]
    later = document_issue(request=approved_request())
    old, new = document_verify_code(earlier.verification_code), document_verify_code(later.verification_code)

    assert old.valid and old.key_retired and old.key_fingerprint == old_fingerprint
    assert new.valid and not new.key_retired and new.key_fingerprint == public_key_fingerprint() != old_fingerprint
    assert document_verify_pdf(_bytes(earlier)).key_retired
