"""The citizen's consents to third-party clients: list (with history), give and revoke."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.idempotency import idempotent
from portal.api.pagination import FixedOrderPage
from portal.api.serializers import ConsentIn, ConsentOut, as_data
from services.consents.models import Consent
from services.consents.selectors import clients_asking, consents_of
from services.consents.service import consent_give, consent_revoke


class ConsentPage(FixedOrderPage):
    ordering = ("-given_at", "-pk")


@extend_schema(tags=["consents"])
class ConsentViewSet(viewsets.GenericViewSet):
    queryset = Consent.objects.none()  # the model, for the schema; get_queryset names the caller
    serializer_class = ConsentOut
    filter_backends: list = []
    pagination_class = ConsentPage
    lookup_url_kwarg = "consent"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Consent]:
        return consents_of(self.request.user)

    @extend_schema(operation_id="consents_list", responses=ConsentOut(many=True))
    def list(self, request: Request) -> Response:
        """The caller's consents, standing and revoked, newest first."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ConsentOut(page, many=True).data)

    @extend_schema(operation_id="consents_give", request=ConsentIn, responses={201: ConsentOut})
    @idempotent
    def create(self, request: Request) -> Response:
        """Give an organisation (by BIN) consent for one purpose; giving it again returns the standing one."""
        serializer = ConsentIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        client = clients_asking().filter(bin=data["client"]).first()
        if client is None:
            raise serializers.ValidationError({"client": [_("There is no such organisation.")]})
        try:
            consent = consent_give(citizen=request.user, client=client, purpose=data["purpose"])
        except ValidationError as error:
            raise serializers.ValidationError({"purpose": error.messages}) from error
        return Response(as_data(ConsentOut, consent), status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="consents_revoke", request=None, responses=ConsentOut)
    @action(detail=True, methods=["post"])
    @idempotent
    def revoke(self, request: Request, consent: str) -> Response:
        """Revoke a consent; the organisation loses access at once."""
        revoked = consent_revoke(consent=get_object_or_404(self.get_queryset(), pk=consent))
        return Response(as_data(ConsentOut, revoked))
