"""Public pages that tell anyone whether a result document is genuine: /verify/ and /verify/<code>/.

The pages only translate HTTP to `services.documents.service` and back. Both are rate limited per
client address, since a code lookup is exactly what someone guessing codes would repeat.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from portal.forms import VerifyCodeForm, VerifyUploadForm
from services.documents.codes import format_code, normalize_code
from services.documents.service import (
    MAX_UPLOAD_BYTES,
    Reason,
    Verification,
    document_verify_code,
    document_verify_pdf,
)
from services.documents.signing import public_key_fingerprint, public_key_pem

# Room for the multipart envelope and the CSRF field around a file of the largest accepted size.
_MULTIPART_OVERHEAD = 64 * 1024
_RETRY_AFTER_SECONDS = 60

REASONS = {
    Reason.MALFORMED_CODE: _(
        "This is not a verification code. A code has 20 letters and digits, as printed under the QR code."
    ),
    Reason.UNKNOWN_CODE: _("The portal has not issued any document with this verification code."),
    Reason.ALTERED: _(
        "This file is not the one the portal issued: it has been changed since. "
        "Ask the holder for the original file, or check the code printed on it."
    ),
    Reason.NO_CODE: _("This PDF has no verification code from the portal, so the portal did not issue it."),
    Reason.UNAVAILABLE: _("The document cannot be checked right now. Try again later."),
    Reason.NOT_PDF: _("The file is not a PDF. Choose the PDF document you received from the portal."),
    Reason.EMPTY: _("The file is empty. Choose the PDF document you received from the portal."),
    Reason.TOO_LARGE: _("The file is larger than %(limit)d MB, so it is not a document from the portal."),
}
# Problems with the file itself are shown next to the upload field rather than as a verdict.
_INPUT_PROBLEMS = frozenset({Reason.NOT_PDF, Reason.EMPTY, Reason.TOO_LARGE})


def _rate(group: str, request: HttpRequest) -> str:
    """Read at each request, so the limit follows the settings (and tests can lower it)."""
    return settings.VERIFY_RATE_LIMIT


@csrf_exempt  # checked in _verify_upload, once the declared size shows the body is worth reading
@ratelimit(key="ip", rate=_rate, block=False)
@require_http_methods(["GET", "HEAD", "POST"])
def verify_start(request: HttpRequest) -> HttpResponse:
    """The two ways to check: a code (GET ?code=, redirects to its result page) or a PDF upload (POST)."""
    if getattr(request, "limited", False):
        return _limited(request)
    if request.method == "POST":
        if _declared_length(request) > MAX_UPLOAD_BYTES + _MULTIPART_OVERHEAD:
            return _too_large(request)
        return _verify_upload(request)
    if "code" not in request.GET:
        return _start_page(request, VerifyCodeForm(), VerifyUploadForm())
    form = VerifyCodeForm(request.GET)
    if not form.is_valid():
        return _start_page(request, form, VerifyUploadForm())
    return redirect("verify_result", code=form.cleaned_data["code"])


@ratelimit(key="ip", rate=_rate, block=False)
@require_GET
def verify_result(request: HttpRequest, code: str) -> HttpResponse:
    """The verdict on a verification code, as reached from a document's QR code."""
    if getattr(request, "limited", False):
        return _limited(request)
    canonical = normalize_code(code)
    if canonical is not None and canonical != code:
        return redirect("verify_result", code=canonical)
    return _result_page(request, document_verify_code(code))


@csrf_protect
def _verify_upload(request: HttpRequest) -> HttpResponse:
    form = VerifyUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _start_page(request, VerifyCodeForm(), form, status=400)
    verification = document_verify_pdf(form.cleaned_data["document"].read())
    if verification.reason in _INPUT_PROBLEMS:
        form.add_error("document", _reason_text(verification.reason))
        return _start_page(request, VerifyCodeForm(), form, status=400)
    return _result_page(request, verification)


def _too_large(request: HttpRequest) -> HttpResponse:
    """Answer an oversized upload without reading its body."""
    form = VerifyUploadForm.refused(_reason_text(Reason.TOO_LARGE))
    return _start_page(request, VerifyCodeForm(), form, status=413)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _start_page(
    request: HttpRequest, code_form: VerifyCodeForm, upload_form: VerifyUploadForm, *, status: int = 200
) -> HttpResponse:
    context = {"code_form": code_form, "upload_form": upload_form}
    return render(request, "portal/verify.html", context, status=status)


def _result_page(request: HttpRequest, verification: Verification) -> HttpResponse:
    context = {
        "verification": verification,
        "reason": _reason_text(verification.reason) if verification.reason else "",
        "code": format_code(verification.code) if verification.code else "",
        "fingerprint": verification.key_fingerprint or public_key_fingerprint(),
        "public_key": verification.key_pem or public_key_pem(),
    }
    response = render(request, "portal/verify_result.html", context)
    response["X-Robots-Tag"] = "noindex"  # the page names the holder: keep it out of search engines
    response["Cache-Control"] = "no-store"
    return response


def _limited(request: HttpRequest) -> HttpResponse:
    response = render(request, "portal/verify_limited.html", status=429)
    response["Retry-After"] = str(_RETRY_AFTER_SECONDS)
    return response


def _reason_text(reason: str) -> str:
    text = REASONS.get(Reason(reason), REASONS[Reason.UNKNOWN_CODE])
    if reason == Reason.TOO_LARGE:
        return text % {"limit": MAX_UPLOAD_BYTES // 2**20}
    return str(text)
