"""The OpenAPI document: every operation lists the problems it can answer, and writes their Idempotency-Key."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import AllowAny

from portal.api.idempotency import HEADER
from portal.api.problems import PROBLEM_JSON, ProblemSerializer

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    description=(
        "Any unique string (a UUID) up to 255 characters. A retry with the same key and body gets the first "
        "response again; the same key with another body is refused (422). Keys are kept for 24 hours and are "
        "private to the caller."
    ),
)


class PortalAutoSchema(AutoSchema):
    def get_override_parameters(self) -> list:
        parameters = list(super().get_override_parameters())
        if self.is_idempotent():
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def is_idempotent(self) -> bool:
        handler = getattr(self.view, getattr(self.view, "action", None) or self.method.lower(), None)
        return bool(getattr(handler, "idempotent", False))

    def is_public(self) -> bool:
        return any(isinstance(permission, AllowAny) for permission in self.view.get_permissions())

    def error_statuses(self) -> list[int]:
        """The problems this operation can answer with."""
        statuses = {403, 406, 429}
        has_body = self.method in ("POST", "PUT", "PATCH")
        if not self.is_public():
            statuses.add(401)
        if "{" in self.path or self._is_list_view():
            statuses.add(404)
        if has_body or self._is_list_view() or self.get_filter_backends() or self._takes_query_parameters():
            statuses.add(400)
        if has_body:
            statuses.add(415)
        if self.is_idempotent():
            statuses |= {409, 422}
        return sorted(statuses)

    def _takes_query_parameters(self) -> bool:
        """Whether the operation declares query parameters of its own (which it validates: a 400)."""
        return any(
            isinstance(parameter, OpenApiParameter) and parameter.location == OpenApiParameter.QUERY
            for parameter in self.get_override_parameters()
        )

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        for status in self.error_statuses():
            code = str(status)
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ProblemSerializer, code, media_types=(PROBLEM_JSON,), direction=direction
                )
        return responses
