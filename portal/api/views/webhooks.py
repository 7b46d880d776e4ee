"""Webhooks: a third-party client subscribes URLs to the state changes of the requests it may read.

Only a client's account gets through (citizens and staff: 403); every look-up is within the
client's own subscriptions, so another client's answers 404. The signing secret is in the create
response only. Creating takes no Idempotency-Key: a replay would have to keep that secret in
clear with the stored response, as creating a token would.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.pagination import FixedOrderPage
from portal.api.serializers import DeliveryAttemptOut, WebhookCreatedOut, WebhookIn, WebhookOut, as_data
from services.consents.selectors import client_of
from services.webhooks.addresses import UnsafeURL
from services.webhooks.models import Subscription
from services.webhooks.selectors import attempts_of, subscriptions_of
from services.webhooks.service import subscription_create, subscription_delete


class IsThirdPartyClient(permissions.IsAuthenticated):
    """The account of an active third-party client."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return super().has_permission(request, view) and client_of(request.user) is not None


class WebhookPage(FixedOrderPage):
    ordering = ("-created_at", "-pk")


class AttemptPage(FixedOrderPage):
    ordering = ("-started_at", "-pk")


@extend_schema(tags=["webhooks"])
class WebhookViewSet(viewsets.GenericViewSet):
    queryset = Subscription.objects.none()  # the model, for the schema; get_queryset names the client
    serializer_class = WebhookOut
    permission_classes = [IsThirdPartyClient]
    filter_backends: list = []
    pagination_class = WebhookPage
    lookup_url_kwarg = "webhook"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Subscription]:
        return subscriptions_of(client_of(self.request.user))

    @extend_schema(operation_id="webhooks_list", responses=WebhookOut(many=True))
    def list(self, request: Request) -> Response:
        """The client's subscriptions, newest first (the secrets are never shown again)."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WebhookOut(page, many=True).data)

    @extend_schema(operation_id="webhooks_create", request=WebhookIn, responses={201: WebhookCreatedOut})
    def create(self, request: Request) -> Response:
        """Subscribe an https URL at a public address to state changes; the response holds the signing secret."""
        serializer = WebhookIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            subscription, secret = subscription_create(client=client_of(request.user), **serializer.validated_data)
        except UnsafeURL as error:
            raise serializers.ValidationError({"url": [str(error)]}) from error
        return Response(as_data(WebhookCreatedOut, subscription, secret=secret), status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="webhooks_retrieve", responses=WebhookOut)
    def retrieve(self, request: Request, webhook: str) -> Response:
        """One of the client's subscriptions."""
        return Response(as_data(WebhookOut, get_object_or_404(self.get_queryset(), pk=webhook)))

    @extend_schema(operation_id="webhooks_delete", responses={204: None})
    def destroy(self, request: Request, webhook: str) -> Response:
        """Delete a subscription: nothing more is sent to it, deliveries not yet made are cancelled."""
        subscription_delete(subscription=get_object_or_404(self.get_queryset(), pk=webhook), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(operation_id="webhooks_deliveries", responses=DeliveryAttemptOut(many=True))
    @action(detail=True, methods=["get"], pagination_class=AttemptPage)
    def deliveries(self, request: Request, webhook: str) -> Response:
        """The subscription's delivery attempts, newest first: each with its status code or error."""
        subscription = get_object_or_404(self.get_queryset(), pk=webhook)
        page = self.paginate_queryset(attempts_of(subscription))
        return self.get_paginated_response(DeliveryAttemptOut(page, many=True).data)
