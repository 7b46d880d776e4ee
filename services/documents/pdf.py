"""The result document as a one-page A4 PDF, in the request's language, with a QR code to verify it.

Rendering is deterministic (ReportLab's invariant mode, the issue time as the PDF's dates): the
same request, code and time give the same bytes, so a lost file can be rebuilt and still match
its signature, and tests can compare outputs.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from services.documents.codes import format_code
from services.documents.models import DocumentKind
from services.i18n import FALLBACK, LANGUAGES, pick
from services.workflow.models import ServiceRequest
from services.working_days import local_date

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
KEYWORD_PREFIX = "egov-verification-code:"

# The QR code is drawn as vector rectangles (sharp at any zoom, and far cheaper than a PNG that
# ReportLab decodes and compresses again), with the standard quiet zone of four modules.
QR_BORDER = 4
QR_ERROR_LEVEL = "m"

_PAGE_WIDTH, _PAGE_HEIGHT = A4
_MARGIN = 56
_CONTENT_WIDTH = _PAGE_WIDTH - 2 * _MARGIN
_LABEL_WIDTH = 150
_VALUE_X = _MARGIN + _LABEL_WIDTH + 12
_VALUE_WIDTH = _PAGE_WIDTH - _MARGIN - _VALUE_X
_FOOTER_TOP = _MARGIN + 150  # the body stops here; the QR code and the code live below
_QR_SIZE = 130
_MAX_LINES_PER_VALUE = 4
_MAX_REASON_LINES = 14
_BRAND = HexColor("#00567a")
_INK = HexColor("#0b0c0c")
_MUTED = HexColor("#505a5f")
_LINE = HexColor("#b1b4b6")


@dataclass(frozen=True)
class DocumentContent:
    """Everything printed on a document, already in its language."""

    language: str
    portal_name: str
    title: str
    service_name: str
    agency_name: str
    outcome: str
    facts: list[tuple[str, str]]
    section_heading: str
    answers: list[tuple[str, str]]
    reason: str
    code_label: str
    code: str
    verify_url: str
    check_line: str
    note: str
    issued_at: datetime


def verify_url(code: str) -> str:
    """The public address that checks a document, as encoded in its QR code."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/verify/{code}/"


def qr_code(code: str) -> segno.QRCode:
    """The QR code printed on the document with this verification code."""
    return _qr_symbol(verify_url(code))


def document_language(request: ServiceRequest) -> str:
    """The language a request's documents are written in: its own, if the portal has it."""
    return request.language if request.language in LANGUAGES else FALLBACK


def document_pdf(
    *, request: ServiceRequest, kind: DocumentKind, code: str, issued_at: datetime, language: str | None = None
) -> bytes:
    """The PDF bytes of the result document for `request`, in `language` (by default the request's)."""
    return render(document_content(request=request, kind=kind, code=code, issued_at=issued_at, language=language))


def document_content(
    *, request: ServiceRequest, kind: DocumentKind, code: str, issued_at: datetime, language: str | None = None
) -> DocumentContent:
    """The texts of the document, in `language` (by default the request's)."""
    language = language or document_language(request)
    with translation.override(language):
        citizen = request.citizen
        refused = kind == DocumentKind.REFUSAL_LETTER
        url = verify_url(code)
        return DocumentContent(
            language=language,
            portal_name=gettext("Public services portal"),
            title=_title(kind),
            service_name=getattr(request.service, f"name_{language}"),
            agency_name=getattr(request.service.agency, f"name_{language}"),
            outcome=gettext("The request has been refused.") if refused else gettext("The request has been approved."),
            facts=[
                (gettext("Reference"), request.reference),
                (gettext("Full name"), citizen.get_full_name() or "—"),
                (gettext("IIN"), citizen.iin),
                (gettext("Date of issue"), local_date(issued_at).strftime("%d.%m.%Y")),
            ],
            section_heading=gettext("Reason for refusal") if refused else gettext("Details"),
            answers=[] if refused else answers(request, language=language),
            reason=request.decision_reason if refused else "",
            code_label=gettext("Verification code"),
            code=format_code(code),
            verify_url=url,
            check_line=gettext("Check this document at %(url)s") % {"url": url},
            note=gettext(
                "The portal signed this file electronically. A copy changed in any way is not valid; "
                "a printed copy can be checked with the verification code."
            ),
            issued_at=issued_at,
        )


def answers(request: ServiceRequest, *, language: str) -> list[tuple[str, str]]:
    """Each answered field of the request's form as (label, value) in `language`, page by page.

    Pages keep the form's order (a list); within a page, PostgreSQL's jsonb does not keep the
    order the properties were written in, so fields come in the order the database gives them.
    """
    schema = request.form_version.schema
    pages = [page["id"] for page in schema.get("x-pages", [])]
    fields = [(name, field) for name, field in schema.get("properties", {}).items() if name in request.form_data]
    fields.sort(key=lambda item: pages.index(item[1]["x-page"]) if item[1].get("x-page") in pages else len(pages))
    return [
        (pick(field.get("x-label"), language) or name, _value(field, request.form_data[name], language))
        for name, field in fields
    ]


def render(content: DocumentContent) -> bytes:
    """Draw the document on one A4 page and return the PDF bytes."""
    _register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, lang=content.language, initialFontName=REGULAR)
    _set_metadata(canvas, content)
    _draw_header(canvas, content)
    y = _draw_heading(canvas, content, _PAGE_HEIGHT - 56 - 50)
    y = _draw_rows(canvas, content.facts, y - 10)
    y = _draw_section(canvas, content, y - 14)
    _draw_footer(canvas, content)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def code_from_keywords(keywords: str | None) -> str | None:
    """The verification code written into a document's Keywords metadata, if any."""
    if keywords and keywords.startswith(KEYWORD_PREFIX):
        return keywords[len(KEYWORD_PREFIX) :].strip()
    return None


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def _title(kind: DocumentKind) -> str:
    return {
        DocumentKind.CERTIFICATE: gettext("Certificate"),
        DocumentKind.REGISTRATION: gettext("Registration record"),
        DocumentKind.DECISION_LETTER: gettext("Decision"),
        DocumentKind.REFUSAL_LETTER: gettext("Refusal"),
    }[DocumentKind(kind)]


def _value(field: dict[str, Any], value: Any, language: str) -> str:
    if "x-options" in field and isinstance(value, str) and value in field["x-options"]:
        return pick(field["x-options"][value], language)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(_value(field.get("items", {}), item, language) for item in value)
    if value is None or value == "":
        return "—"
    return str(value)


def _set_metadata(canvas: Canvas, content: DocumentContent) -> None:
    canvas.setTitle(f"{content.title}: {content.service_name}")
    canvas.setAuthor(content.portal_name)
    canvas.setCreator(content.portal_name)
    canvas.setSubject(f"{content.code_label}: {content.code}")
    canvas.setKeywords(KEYWORD_PREFIX + content.code.replace("-", ""))
    stamp = content.issued_at.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
    canvas.setDateFormatter(lambda *_: stamp)


def _draw_header(canvas: Canvas, content: DocumentContent) -> None:
    canvas.setFillColor(_BRAND)
    canvas.rect(0, _PAGE_HEIGHT - 56, _PAGE_WIDTH, 56, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont(BOLD, 14)
    canvas.drawString(_MARGIN, _PAGE_HEIGHT - 34, content.portal_name)


def _draw_heading(canvas: Canvas, content: DocumentContent, y: float) -> float:
    canvas.setFillColor(_INK)
    y = _draw_lines(canvas, simpleSplit(content.title, BOLD, 24, _CONTENT_WIDTH), _MARGIN, y, BOLD, 24, 28)
    y = _draw_lines(canvas, simpleSplit(content.service_name, BOLD, 13, _CONTENT_WIDTH), _MARGIN, y - 8, BOLD, 13, 17)
    canvas.setFillColor(_MUTED)
    y = _draw_lines(canvas, simpleSplit(content.agency_name, REGULAR, 11, _CONTENT_WIDTH), _MARGIN, y, REGULAR, 11, 15)
    canvas.setFillColor(_INK)
    y = _draw_lines(canvas, simpleSplit(content.outcome, REGULAR, 11, _CONTENT_WIDTH), _MARGIN, y - 8, REGULAR, 11, 15)
    return y


def _draw_section(canvas: Canvas, content: DocumentContent, y: float) -> float:
    if not content.answers and not content.reason:
        return y
    canvas.setStrokeColor(_LINE)
    canvas.line(_MARGIN, y + 6, _PAGE_WIDTH - _MARGIN, y + 6)
    canvas.setFillColor(_INK)
    y = _draw_lines(canvas, [content.section_heading], _MARGIN, y - 14, BOLD, 12, 18)
    if content.answers:
        return _draw_rows(canvas, content.answers, y)
    lines = _clip(simpleSplit(content.reason, REGULAR, 11, _CONTENT_WIDTH), _room(y, 15), _MAX_REASON_LINES)
    return _draw_lines(canvas, lines, _MARGIN, y, REGULAR, 11, 15)


def _draw_rows(canvas: Canvas, rows: Iterable[tuple[str, str]], y: float) -> float:
    """Label / value rows; values wrap, and rows that do not fit above the footer are cut with '…'."""
    rows = list(rows)
    for index, (label, value) in enumerate(rows):
        labels = simpleSplit(label, REGULAR, 10, _LABEL_WIDTH)[:_MAX_LINES_PER_VALUE]
        values = _clip(simpleSplit(value, REGULAR, 11, _VALUE_WIDTH), _MAX_LINES_PER_VALUE, _MAX_LINES_PER_VALUE)
        height = max(len(labels), len(values)) * 15
        if y - height < _FOOTER_TOP or (index < len(rows) - 1 and y - height - 15 < _FOOTER_TOP):
            canvas.setFillColor(_MUTED)
            canvas.setFont(REGULAR, 11)
            canvas.drawString(_MARGIN, y - 11, "…")
            return y - 15
        canvas.setFillColor(_MUTED)
        _draw_lines(canvas, labels, _MARGIN, y, REGULAR, 10, 15)
        canvas.setFillColor(_INK)
        _draw_lines(canvas, values, _VALUE_X, y, REGULAR, 11, 15)
        y -= height + 4
    return y


def _draw_footer(canvas: Canvas, content: DocumentContent) -> None:
    canvas.setStrokeColor(_LINE)
    canvas.line(_MARGIN, _FOOTER_TOP - 6, _PAGE_WIDTH - _MARGIN, _FOOTER_TOP - 6)
    _draw_qr(canvas, content.verify_url, _MARGIN - 10, _MARGIN - 10, _QR_SIZE)
    x = _MARGIN + _QR_SIZE + 6
    width = _PAGE_WIDTH - _MARGIN - x
    canvas.setFillColor(_MUTED)
    y = _draw_lines(canvas, [content.code_label], x, _FOOTER_TOP - 24, REGULAR, 10, 14)
    canvas.setFillColor(_INK)
    y = _draw_lines(canvas, [content.code], x, y - 4, BOLD, 15, 20)
    for line in simpleSplit(content.check_line, REGULAR, 10, width):
        # A long address cannot wrap: make it smaller instead of letting it run off the page.
        size = min(10.0, 10.0 * width / max(pdfmetrics.stringWidth(line, REGULAR, 10), 1.0))
        y = _draw_lines(canvas, [line], x, y - 2, REGULAR, size, 12)
    canvas.setFillColor(_MUTED)
    _draw_lines(canvas, simpleSplit(content.note, REGULAR, 8, width)[:4], x, y - 4, REGULAR, 8, 11)


def _qr_symbol(url: str) -> segno.QRCode:
    # A fixed mask: choosing the best of eight is most of the encoding time, and every mask scans.
    return segno.make_qr(url, error=QR_ERROR_LEVEL, boost_error=False, mask=0)


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as one filled path: a rectangle per run of dark modules in a row, quiet zone included."""
    matrix = _qr_symbol(url).matrix
    module = size / (len(matrix) + 2 * QR_BORDER)
    top = y + size - QR_BORDER * module
    path = canvas.beginPath()
    for row_number, row in enumerate(matrix):
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            left = x + (QR_BORDER + start) * module
            path.rect(left, top - (row_number + 1) * module, (column - start) * module, module)
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_lines(
    canvas: Canvas, lines: Iterable[str], x: float, y: float, font: str, size: float, leading: float
) -> float:
    """Draw lines whose first baseline is `size` below `y`; return the y under the last one."""
    canvas.setFont(font, size)
    for line in lines:
        canvas.drawString(x, y - size, line)
        y -= leading
    return y


def _room(y: float, leading: float) -> int:
    return max(int((y - _FOOTER_TOP) // leading), 1)


def _clip(lines: list[str], room: int, limit: int) -> list[str]:
    keep = min(room, limit)
    if len(lines) <= keep:
        return lines
    return [*lines[: keep - 1], lines[keep - 1].rstrip() + " …"]
