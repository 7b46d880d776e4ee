"""Every API error as `application/problem+json` (RFC 9457).

Members: `type` (a URI naming the kind of problem), `title`, `status`, `detail`, `instance` (the
path), and by kind: `errors` (field -> messages, from the same validation as the pages), `state`
and `action` (a move that conflicts with the request's current state).
"""

import logging
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

from services.apiclients.idempotency import KeyReused
from services.apiclients.tokens import SecondFactorRequired
from services.workflow.states import State
from services.workflow.transitions import FormInvalid, NotPermitted, TransitionNotAllowed

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "/api/problems/"

TITLES = {
    400: _("The request is not valid."),
    401: _("Authentication is needed."),
    403: _("This is not allowed."),
    404: _("Not found."),
    405: _("This method is not allowed here."),
    406: _("No acceptable representation."),
    409: _("This conflicts with the current state."),
    413: _("The request body is too large."),
    415: _("Unsupported media type."),
    422: _("This idempotency key was used for another request."),
    429: _("Too many requests."),
    500: _("Something went wrong on our side."),
}
# Headers of DRF's own error responses that the problem keeps.
_KEPT_HEADERS = ("Retry-After", "WWW-Authenticate", "Allow")


class ProblemSerializer(serializers.Serializer):
    """The shape of every error response (for the OpenAPI document)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(required=False)
    instance = serializers.CharField(required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
    state = serializers.ChoiceField(choices=State.choices, required=False)
    action = serializers.CharField(required=False)


def problem(
    *, status: int, kind: str, detail: str = "", request: HttpRequest | None = None, **members: Any
) -> Response:
    """A problem+json response of `status`; `kind` is the last part of its type URI."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + kind,
        "title": str(TITLES.get(status, HTTPStatus(status).phrase)),
        "status": status,
    }
    if detail:
        body["detail"] = str(detail)
    if request is not None:
        body["instance"] = request.path
    body.update({name: value for name, value in members.items() if value is not None})
    return Response(body, status=status, content_type=PROBLEM_JSON)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's EXCEPTION_HANDLER: the domain's refusals and DRF's errors, worded as problems."""
    request = context.get("request")
    if isinstance(exc, FormInvalid):
        return problem(status=400, kind="invalid-answers", detail=str(exc), errors=exc.errors, request=request)
    if isinstance(exc, TransitionNotAllowed):
        return problem(
            status=409, kind="conflict", detail=str(exc), state=str(exc.state), action=str(exc.action), request=request
        )
    if isinstance(exc, NotPermitted | SecondFactorRequired):
        return problem(status=403, kind="forbidden", detail=str(exc), request=request)
    if isinstance(exc, KeyReused):
        detail = _(
            "Send a new Idempotency-Key for a different request; a key replays only the request it was first used for."
        )
        return problem(status=422, kind="idempotency-key-reused", detail=str(detail), request=request)
    if isinstance(exc, RequestDataTooBig):
        detail = _("A request body may be at most %(limit)d bytes.") % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
        return problem(status=413, kind="payload-too-large", detail=detail, request=request)
    response = exception_handler(exc, context)
    if response is None:
        logger.exception("API error", exc_info=exc)
        return problem(status=500, kind="server-error", request=request)
    result = problem(status=response.status_code, kind=_kind(exc), request=request, **_members(exc))
    for name in _KEPT_HEADERS:
        if name in response:
            result[name] = response[name]
    return result


def _kind(exc: Exception) -> str:
    if isinstance(exc, Http404):
        return "not-found"
    if isinstance(exc, PermissionDenied | exceptions.PermissionDenied):
        return "forbidden"  # one type for every 403, DRF's refusals and the domain's
    if isinstance(exc, exceptions.ValidationError):
        return "validation-error"
    code = getattr(exc, "default_code", "error")
    return str(code).replace("_", "-")


def _members(exc: Exception) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        return {"detail": str(_("Some fields need correcting.")), "errors": _flatten(exc.detail)}
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        return {"detail": str(detail) if not isinstance(detail, dict | list) else ""}
    return {}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as field path -> messages ("answers.phone", "__all__")."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for name, value in detail.items():
            field = "__all__" if name == "non_field_errors" else str(name)
            flat.update(_flatten(value, f"{prefix}.{field}" if prefix else field))
        return flat
    if isinstance(detail, list) and detail and all(not isinstance(item, dict | list) for item in detail):
        return {prefix or "__all__": [str(item) for item in detail]}
    if isinstance(detail, list):
        flat = {}
        for index, item in enumerate(detail):
            flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or "__all__": [str(detail)]}
