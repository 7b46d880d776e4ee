"""The catalogue: services with search and filters, a service's passport, and pre-filled answers."""

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.filters import ServiceFilter
from portal.api.pagination import CursorPage
from portal.api.serializers import PrefillOut, ServiceDetailOut, ServiceOut, as_data
from services.catalogue.models import Service
from services.catalogue.selectors import service_passport, services_search
from services.i18n import current_language
from services.registries.prefill import prefill_for


class CataloguePage(CursorPage):
    def get_ordering(self, request: Request, queryset: QuerySet, view: object) -> tuple[str, ...]:
        return (f"name_{current_language()}", "code")


@extend_schema(tags=["catalogue"])
class ServiceViewSet(viewsets.GenericViewSet):
    """Public services: anyone may read the catalogue."""

    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = ServiceFilter
    pagination_class = CataloguePage
    serializer_class = ServiceOut

    def get_queryset(self) -> QuerySet[Service]:
        return services_search(language=current_language())

    def filter_queryset(self, queryset: QuerySet[Service]) -> QuerySet[Service]:
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    @extend_schema(operation_id="services_list", responses=ServiceOut(many=True))
    def list(self, request: Request) -> Response:
        """Active services, by name in the reader's language; search with `q`, filter by agency and life event."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ServiceOut(page, many=True).data)

    @extend_schema(operation_id="services_retrieve", responses=ServiceDetailOut)
    def retrieve(self, request: Request, code: str) -> Response:
        """A service's passport: fee, deadlines, documents, grounds for refusal, and its form's JSON Schema."""
        return Response(as_data(ServiceDetailOut, self._service(code)))

    @extend_schema(operation_id="services_prefill", responses=PrefillOut, filters=False)
    @action(detail=True, methods=["get"], permission_classes=[IsAuthenticated], filterset_class=None)
    def prefill(self, request: Request, code: str) -> Response:
        """Answers for the service's current form that the state registries hold for the caller."""
        service = self._service(code)
        answers = prefill_for(citizen=request.user, form=service.form)
        return Response({"form_version": service.form.version if service.form else 0, "answers": answers})

    def _service(self, code: str) -> Service:
        service = service_passport(code)
        if service is None:
            raise Http404("no such service")
        return service
