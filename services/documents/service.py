"""The documents app's public functions: issue a request's result document, and verify one.

`document_issue` is called by the workflow's "document" side effect, inside its transaction with
the request row locked; it never changes the request's state. The verify functions answer the
public /verify/ pages: by a typed or scanned code, or by an uploaded copy of the PDF.
"""

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader

from services.documents.codes import LENGTH, generate_code, normalize_code
from services.documents.models import DocumentKind, ResultDocument, document_path
from services.documents.pdf import KEYWORD_PREFIX, code_from_keywords, document_language, document_pdf
from services.documents.signing import is_retired, public_key_fingerprint, public_key_pem, sign, signing_key_of
from services.workflow.models import ServiceRequest
from services.workflow.states import State
from services.working_days import local_date

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
_PDF_HEADER = b"%PDF-"
_HEADER_WINDOW = 1024  # the PDF header may follow a little junk (PDF 32000-1, 7.5.2 note)
_RAW_CODE = re.compile(re.escape(KEYWORD_PREFIX.encode("ascii")) + rb"\s*([0-9A-Za-z]{%d})" % LENGTH)


class Reason(StrEnum):
    """Why a document is not valid: short, machine-readable; the page words it for people."""

    MALFORMED_CODE = "malformed_code"
    UNKNOWN_CODE = "unknown_code"
    ALTERED = "altered"
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_PDF = "not_pdf"
    NO_CODE = "no_code"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Verification:
    """The answer of a check. For a valid document, the essentials to show (texts in the active language)."""

    valid: bool
    reason: str = ""
    code: str = ""
    kind: str = ""
    kind_label: str = ""
    service_name: str = ""
    agency_name: str = ""
    reference: str = ""
    holder_name: str = ""
    holder_iin: str = ""  # masked: the birth date and the check digit only
    issued_on: date | None = None
    sha256: str = ""
    signature: str = ""
    # The key whose signature it carries: the portal's current key, or one retired since.
    key_fingerprint: str = ""
    key_pem: str = ""
    key_retired: bool = False


def document_kind(request: ServiceRequest) -> DocumentKind:
    """The kind of document a decided request gets; ValueError when the request is not decided."""
    if request.state == State.APPROVED:
        return DocumentKind(request.service.result_document)
    if request.state == State.REJECTED:
        return DocumentKind.REFUSAL_LETTER
    raise ValueError(f"request {request.reference} is {request.state}: only approved or rejected requests get one")


def document_issue(*, request: ServiceRequest) -> ResultDocument:
    """Render, sign and store the request's result document, or return the one it already has.

    Call it inside the caller's transaction with the request locked. The file is written first,
    under a name derived from the new random code; if the transaction then rolls back, the file is
    an orphan nobody can reach, and the next attempt issues a fresh code. A request that already
    has its row keeps it (its file is rebuilt, identically, if it went missing).
    """
    existing = ResultDocument.objects.filter(request=request).first()
    if existing is not None:
        _restore_file(existing)
        return existing
    kind = document_kind(request)
    document = ResultDocument(
        request=request,
        kind=kind,
        language=document_language(request),
        verification_code=generate_code(),
        issued_at=timezone.now(),
    )
    pdf = document_pdf(request=request, kind=kind, code=document.verification_code, issued_at=document.issued_at)
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.signature = sign(pdf)
    document.file.save(document_path(document, ""), ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        # Someone issued one in between (a caller that did not lock the request): keep theirs.
        document.file.delete(save=False)
        existing = ResultDocument.objects.filter(request=request).first()
        if existing is None:
            raise
        return existing
    return document


def document_verify_code(code: str) -> Verification:
    """Check a verification code typed in or scanned: it must name a document whose stored file is intact."""
    canonical = normalize_code(code)
    if canonical is None:
        return Verification(valid=False, reason=Reason.MALFORMED_CODE)
    document = _find(canonical)
    if document is None:
        return Verification(valid=False, reason=Reason.UNKNOWN_CODE, code=canonical)
    try:
        stored = _read(document)
    except OSError:
        logger.exception("the file of result document %s cannot be read", document.pk)
        return Verification(valid=False, reason=Reason.UNAVAILABLE, code=canonical)
    key = _signing_key(document, stored)
    if key is None:
        logger.error("the stored file of result document %s does not match its signature", document.pk)
        return Verification(valid=False, reason=Reason.ALTERED, code=canonical)
    return _genuine(document, key)


def document_verify_pdf(data: bytes) -> Verification:
    """Check an uploaded copy: it must be, byte for byte, a document the portal signed."""
    problem = _upload_problem(data)
    if problem:
        return Verification(valid=False, reason=problem)
    code = _code_in_pdf(data)
    if code is None:
        return Verification(valid=False, reason=Reason.NO_CODE)
    document = _find(code)
    if document is None:
        return Verification(valid=False, reason=Reason.UNKNOWN_CODE, code=code)
    key = _signing_key(document, data)
    if key is None:
        return Verification(valid=False, reason=Reason.ALTERED, code=code)
    return _genuine(document, key)


def mask_iin(iin: str) -> str:
    """An IIN with all but its first six digits (the birth date) and its check digit hidden."""
    if len(iin) != 12:
        return "*" * len(iin)
    return f"{iin[:6]}{'*' * 5}{iin[-1]}"


def _upload_problem(data: bytes) -> Reason | None:
    if not data:
        return Reason.EMPTY
    if len(data) > MAX_UPLOAD_BYTES:
        return Reason.TOO_LARGE
    if _PDF_HEADER not in data[:_HEADER_WINDOW]:
        return Reason.NOT_PDF
    return None


def _code_in_pdf(data: bytes) -> str | None:
    """The code from the PDF's Keywords metadata; the raw bytes are searched when pypdf cannot parse it."""
    try:
        metadata = PdfReader(io.BytesIO(data), strict=False).metadata
        keywords = metadata.get("/Keywords") if metadata else None
        code = code_from_keywords(str(keywords) if keywords else None)
    except Exception:  # untrusted input: pypdf raises many kinds of errors on broken files
        logger.info("an uploaded PDF could not be parsed; searching its raw bytes", exc_info=True)
        code = None
    if code is None:
        match = _RAW_CODE.search(data)
        code = match.group(1).decode("ascii") if match else None
    return normalize_code(code) if code else None


def _find(code: str) -> ResultDocument | None:
    return (
        ResultDocument.objects.select_related("request__service__agency", "request__citizen")
        .filter(verification_code=code)
        .first()
    )


def _read(document: ResultDocument) -> bytes:
    with document.file.open("rb") as file:
        return file.read()


def _signing_key(document: ResultDocument, data: bytes) -> Ed25519PublicKey | None:
    """The key that signed these bytes, if they are the document's own; None for any other bytes."""
    if hashlib.sha256(data).hexdigest() != document.sha256:
        return None
    return signing_key_of(data, document.signature)


def _genuine(document: ResultDocument, key: Ed25519PublicKey) -> Verification:
    request = document.request
    citizen = request.citizen
    return Verification(
        valid=True,
        code=document.verification_code,
        kind=document.kind,
        kind_label=str(DocumentKind(document.kind).label),
        service_name=request.service.name,
        agency_name=request.service.agency.name,
        reference=request.reference,
        holder_name=citizen.get_full_name(),
        holder_iin=mask_iin(citizen.iin),
        issued_on=local_date(document.issued_at),
        sha256=document.sha256,
        signature=document.signature,
        key_fingerprint=public_key_fingerprint(key),
        key_pem=public_key_pem(key),
        key_retired=is_retired(key),
    )


def _restore_file(document: ResultDocument) -> None:
    """Rebuild a missing file from the same inputs; kept only if it matches the signed hash."""
    if document.file and document.file.storage.exists(document.file.name):
        return
    pdf = document_pdf(
        request=document.request,
        kind=DocumentKind(document.kind),
        code=document.verification_code,
        issued_at=document.issued_at,
        language=document.language,
    )
    if hashlib.sha256(pdf).hexdigest() != document.sha256:
        logger.error("result document %s is missing its file and cannot be rebuilt identically", document.pk)
        return
    name = document_path(document, "")
    saved = document.file.storage.save(name, ContentFile(pdf))
    if saved != document.file.name:
        document.file.name = saved
        document.save(update_fields=["file"])
