"""The OpenAPI document: every operation lists the problems it can answer, and writes their Idempotency-Key."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from portal.api.idempotency import HEADER
from portal.api.problems import PROBLEM_JSON, ProblemSerializer
from portal.api.renderers import DownloadNegotiation

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
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    int,
    OpenApiParameter.HEADER,
    required=True,
    response=[429],
    description="Seconds to wait before the limit lets this call through again.",
)


class PortalAutoSchema(AutoSchema):
    def get_override_parameters(self) -> list:
        parameters = [*super().get_override_parameters(), RETRY_AFTER]
        if self.is_idempotent():
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def is_idempotent(self) -> bool:
        handler = getattr(self.view, getattr(self.view, "action", None) or self.method.lower(), None)
        return bool(getattr(handler, "idempotent", False))

    def error_statuses(self) -> list[int]:
        """The problems this operation can answer with."""
        # 401 on public operations too: a bad or expired bearer token is refused wherever it is sent.
        statuses = {401, 403, 429}
        has_body = self.method in ("POST", "PUT", "PATCH")
        if not issubclass(self.view.content_negotiation_class, DownloadNegotiation):
            statuses.add(406)
        if "{" in self.path or self._is_list_view():
            statuses.add(404)
        if has_body or self._is_list_view() or self.get_filter_backends() or self._takes_query_parameters():
            statuses.add(400)
        if has_body:
            statuses |= {413, 415}
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
