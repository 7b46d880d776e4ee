"""Who is calling: a personal access token (`Authorization: Bearer egov_…`) or the browser session (with CSRF)."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from portal.api.throttling import authentication_failure_count
from services.accounts.models import User
from services.apiclients.models import AccessToken
from services.apiclients.tokens import token_authenticate

BEARER = "bearer"
_CSRF_REFUSED = _(
    "The CSRF token is missing or wrong: send it in X-CSRFToken with the session, or use an access token."
)


class AccessTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <secret>` with an active personal access token."""

    def authenticate(self, request: Request) -> tuple[User, AccessToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != BEARER.encode():
            return None
        token = token_authenticate(parts[1].decode("latin-1")) if len(parts) == 2 else None
        if token is None:
            authentication_failure_count(request)  # 429 once the address is over the anonymous rate
            raise exceptions.AuthenticationFailed()
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session; unsafe methods need the CSRF token (`X-CSRFToken`), as on the pages."""

    def enforce_csrf(self, request: HttpRequest) -> None:
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:  # DRF's reason is English only
            raise exceptions.PermissionDenied(_CSRF_REFUSED) from None


def session_verified(request: HttpRequest | Request) -> bool:
    """Whether the caller's browser session was verified with the account's one-time code (django-otp)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())


def second_factor_verified(request: Request) -> bool:
    """A session verified with a one-time code, or a token made from one: what the staff endpoints ask for."""
    if isinstance(request.auth, AccessToken):
        return request.auth.second_factor_verified
    return session_verified(request)


class AccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = AccessTokenAuthentication
    name = "accessToken"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A personal access token (egov_…)."}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = SessionAuthentication
    name = "session"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
