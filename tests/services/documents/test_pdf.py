import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from services.documents.codes import format_code, generate_code
from services.documents.models import DocumentKind
from services.documents.pdf import KEYWORD_PREFIX, document_pdf, qr_code, verify_url
from tests.factories import ServiceFactory
from tests.services.documents.support import (
    KK_FIRST_NAME,
    KK_LABEL,
    KK_LAST_NAME,
    KK_LETTERS,
    KK_OPTION,
    KK_SERVICE,
    approved_request,
    rejected_request,
)

pytestmark = pytest.mark.django_db

ISSUED_AT = datetime(2026, 3, 20, 20, 30, tzinfo=UTC)  # already 21 March in Almaty (UTC+5)
CODE = "ABCDEFGHJKMNPQRSTVWX"


def _pdf(request, kind=DocumentKind.CERTIFICATE, code=CODE):
    return document_pdf(request=request, kind=kind, code=code, issued_at=ISSUED_AT)


def _text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_document_is_a_real_one_page_a4_pdf():
    pdf = _pdf(approved_request())
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_the_kazakh_text_comes_back_out_letter_for_letter():
    request = approved_request(language="kk")
    text = _text(_pdf(request))
    for expected in [
        f"{KK_FIRST_NAME} {KK_LAST_NAME}",
        KK_SERVICE,
        KK_LABEL,
        KK_OPTION,  # an enum answer is shown with its label, not its value
        "Мемлекеттік қызметтер порталы",
        "Анықтама",
        request.citizen.iin,
        request.reference,
        "21.03.2026",  # the local date in Almaty, not the UTC one
        format_code(CODE),
    ]:
        assert expected in text
    assert set(KK_LETTERS) <= set(text.lower())


def test_the_fixed_texts_follow_the_request_language():
    request = approved_request(language="ru")
    text = _text(_pdf(request))
    assert "Портал государственных услуг" in text
    assert "Регистрация по месту жительства" in text
    assert "Номер дома" in text
    assert KK_SERVICE not in text


def test_a_refusal_states_the_reason_and_not_the_answers():
    request = rejected_request(reason="The owner of the address did not give consent.")
    text = _text(_pdf(request, kind=DocumentKind.REFUSAL_LETTER))
    assert "Refusal" in text
    assert "The owner of the address did not give consent." in text
    assert "Phone number" not in text


def test_a_long_refusal_reason_still_fits_on_one_page():
    request = rejected_request(reason="A reason that goes on and on. " * 200)
    reader = PdfReader(io.BytesIO(_pdf(request, kind=DocumentKind.REFUSAL_LETTER)))
    assert len(reader.pages) == 1


def test_the_page_points_to_the_verify_address_and_the_metadata_carries_the_code():
    pdf = _pdf(approved_request(language="en"))
    text = _text(pdf).replace("\n", " ")
    assert "Check this document at https://portal.example.kz/verify/ABCDEFGHJKMNPQRSTVWX/" in text
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata["/Keywords"] == KEYWORD_PREFIX + CODE
    assert metadata.creation_date == ISSUED_AT


def test_the_qr_code_encodes_the_verify_address():
    """No QR decoder is installed: read the module matrix back from the rectangles the page draws
    and compare it with segno's symbol for the address (segno is deterministic for the same input)."""
    pdf = _pdf(approved_request())
    expected = [list(row) for row in qr_code(CODE).matrix_iter(scale=1, border=4)]
    assert _drawn_modules(pdf, len(expected)) == expected
    assert not PdfReader(io.BytesIO(pdf)).pages[0].images  # vector, not an image a viewer would blur
    assert qr_code(CODE).designator  # a regular QR code, not a Micro QR
    assert verify_url(CODE) == "https://portal.example.kz/verify/ABCDEFGHJKMNPQRSTVWX/"
    other = [list(row) for row in qr_code(generate_code()).matrix_iter(scale=1, border=4)]
    assert other != expected


def _drawn_modules(pdf: bytes, size: int) -> list[list[int]]:
    """The dark/light value of each module of the QR code (quiet zone included, `size` modules a
    side), from the rectangles of one module's height that the page's content stream fills."""
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    rects = [
        tuple(map(float, found)) for found in re.findall(r"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re", content)
    ]
    module = min(height for _, _, _, height in rects)
    cells = [rect for rect in rects if abs(rect[3] - module) < 1e-6]
    left = min(x for x, _, _, _ in cells) - 4 * module
    top = max(y for _, y, _, _ in cells) + module + 4 * module
    grid = [[0] * size for _ in range(size)]
    for x, y, width, _ in cells:
        row = round((top - y) / module) - 1
        first = round((x - left) / module)
        for column in range(first, first + round(width / module)):
            grid[row][column] = 1
    return grid


def test_the_same_inputs_give_the_same_bytes():
    request = approved_request()
    assert _pdf(request) == _pdf(request)
    assert _pdf(request) != _pdf(request, code="ABCDEFGHJKMNPQRSTVW0")


def test_many_long_answers_are_cut_to_fit_one_page(settings):
    settings.PUBLIC_BASE_URL = "https://egov-portal.example.gov.kz/a-rather-long-path"
    fields = {
        f"field_{n:02}": {"type": "string", "x-label": {"kk": f"Сұрақ {n}", "ru": f"Вопрос {n}", "en": f"Question {n}"}}
        for n in range(40)
    }
    for field in fields.values():
        field["x-page"] = "only"
    schema = {"type": "object", "x-pages": [{"id": "only", "title": {"en": "Only"}}], "properties": fields}
    request = approved_request(language="en", service=ServiceFactory(form=schema))
    request.form_data = {name: "A long answer that needs wrapping. " * 12 for name in fields}
    reader = PdfReader(io.BytesIO(_pdf(request)))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert "Question 0" in text
    assert "Question 39" not in text
    assert "…" in text
    assert format_code(CODE) in text  # the footer is still there
