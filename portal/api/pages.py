"""The owner's page for personal access tokens, /accounts/profile/tokens/: list, create (secret shown once), revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal.api.authentication import session_verified
from services.apiclients.tokens import (
    DEFAULT_LIFETIME_DAYS,
    MAX_LIFETIME_DAYS,
    SecondFactorRequired,
    token_create,
    token_revoke,
    tokens_of,
)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("So you recognise it later, e.g. “My bank app”.")
    )
    lifetime_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_LIFETIME_DAYS, initial=DEFAULT_LIFETIME_DAYS
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """The owner's active tokens and a form for a new one; the new secret is shown on this answer only."""
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = token_create(
                user=request.user, second_factor_verified=session_verified(request), **form.cleaned_data
            )
        except SecondFactorRequired as refused:
            form.add_error(None, str(refused))
        else:
            form = TokenForm()
    context = {"form": form, "tokens": tokens_of(user=request.user), "secret": secret}
    return render(request, "portal/api/tokens.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke_page(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the owner's tokens (a GET, like the other actions' pages, goes back to the list)."""
    token = get_object_or_404(tokens_of(user=request.user), pk=token_id)
    if request.method == "GET":
        return redirect("api_tokens")
    token_revoke(token=token)
    messages.success(request, _("The token is revoked: it no longer works."))
    return redirect("api_tokens")
