"""Personal access tokens: the owner lists, creates (with the browser session) and revokes them."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.authentication import SessionAuthentication, session_verified
from portal.api.serializers import TokenCreatedOut, TokenIn, TokenOut, as_data
from services.apiclients.models import AccessToken
from services.apiclients.tokens import token_create, token_revoke, tokens_of


@extend_schema(tags=["tokens"])
class TokenViewSet(viewsets.GenericViewSet):
    queryset = AccessToken.objects.none()  # the model, for the schema; get_queryset names the caller
    serializer_class = TokenOut
    filter_backends: list = []
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[AccessToken]:
        return tokens_of(user=self.request.user)

    @extend_schema(operation_id="tokens_list", responses=TokenOut(many=True))
    def list(self, request: Request) -> Response:
        """The caller's tokens that still work, newest first (the secrets are never shown again)."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(TokenOut(page, many=True).data)

    @extend_schema(operation_id="tokens_create", request=TokenIn, responses={201: TokenCreatedOut})
    def create(self, request: Request) -> Response:
        """A new token. Only a signed-in browser session may create one, so a token cannot renew itself;
        for a staff account, only a session signed in with its one-time code (403 otherwise)."""
        if not isinstance(request.successful_authenticator, SessionAuthentication):
            raise exceptions.PermissionDenied("Create tokens while signed in to the portal, not with a token.")
        serializer = TokenIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, secret = token_create(
            user=request.user, second_factor_verified=session_verified(request), **serializer.validated_data
        )
        return Response(as_data(TokenCreatedOut, token, secret=secret), status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="tokens_revoke", responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        """Revoke one of the caller's tokens; it stops working at once."""
        token_revoke(token=get_object_or_404(self.get_queryset(), pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
