"""The public page where the owner of an address answers a request for their consent: /consent/<reference>/.

The owner may have no account: the SMS they received names the request and gives a one-time code,
and the page asks for their IIN and that code. It is rate limited per client address, and the
domain counts wrong codes per request, so a code cannot be guessed.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from portal.forms import OwnerConsentForm
from services.processing.consent import ConsentError, consent_answer, request_awaiting_consent
from services.processing.models import ConsentDecision

ANSWERS = {"give": True, "refuse": False}


def _rate(group: str, request: HttpRequest) -> str:
    return settings.CONSENT_RATE_LIMIT


@ratelimit(key="ip", rate=_rate, method="POST", block=False)
@require_http_methods(["GET", "HEAD", "POST"])
def owner_consent(request: HttpRequest, reference: str) -> HttpResponse:
    """The form (GET), and the owner's answer (POST: agree or refuse), recorded through the domain."""
    form = OwnerConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and getattr(request, "limited", False):
        form.is_valid()
        form.add_error(None, _("Too many attempts from your connection. Wait a minute and try again."))
        return _page(request, reference, form, status=429)
    if request.method != "POST" or not form.is_valid():
        return _page(request, reference, form, status=400 if form.is_bound else 200)
    waiting = request_awaiting_consent(reference=reference)
    try:
        if waiting is None:
            raise ConsentError(_("This request is not waiting for your consent."))
        answered = consent_answer(
            request=waiting,
            owner_iin=form.cleaned_data["owner_iin"],
            code=form.cleaned_data["code"],
            given=ANSWERS.get(request.POST.get("answer", ""), False),
        )
    except ConsentError as refused:
        form.add_error(None, str(refused))
        return _page(request, reference, form, status=400)
    given = answered.consent.decision == ConsentDecision.GIVEN
    return render(request, "portal/consent_done.html", {"reference": reference, "given": given})


def _page(request: HttpRequest, reference: str, form: OwnerConsentForm, *, status: int) -> HttpResponse:
    fields = [(f"#{form[name].auto_id}", error) for name in form.fields for error in form[name].errors]
    error_list = [(None, error) for error in form.non_field_errors()] + fields
    context = {"reference": reference, "form": form, "error_list": error_list}
    return render(request, "portal/consent.html", context, status=status)
