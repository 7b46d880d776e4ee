"""The officer's queue and actions: the agency's requests, one request as staff read it, claim, reassign,
note and decide.

Only verified agency staff get through (a session signed in with a one-time code, or a token
made from such a session). Every look-up is within the officer's agency, so
another agency's reference answers 404. Reading a request writes an access record; every move goes
through the workflow's officer functions, with the `api` channel.
"""

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.authentication import second_factor_verified
from portal.api.filters import QueueFilter
from portal.api.idempotency import idempotent
from portal.api.pagination import FixedOrderPage
from portal.api.serializers import (
    ApproveIn,
    MessageIn,
    NoteIn,
    NoteOut,
    OfficerOut,
    QueueItemOut,
    ReassignIn,
    RejectIn,
    StaffRequestOut,
    as_data,
)
from services.audit.models import Purpose
from services.audit.service import access_record
from services.backoffice.selectors import agency_staff, request_for_staff, request_notes
from services.workflow.models import ServiceRequest
from services.workflow.officer import (
    request_approve,
    request_claim,
    request_info,
    request_note,
    request_reassign,
    request_reject,
)
from services.workflow.states import Channel

from .requests import REFERENCE, _valid

CHANNEL = Channel.API


class IsVerifiedStaff(permissions.IsAuthenticated):
    """Agency staff, by a session verified with a one-time code or a token made from one."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        user = request.user
        return bool(user.staff_role and user.agency_id and second_factor_verified(request))


class QueuePage(FixedOrderPage):
    """The oldest submission first, so every page is stable while requests come and go."""

    ordering = ("submitted_at", "pk")


class NotesPage(FixedOrderPage):
    ordering = ("-sequence",)


class OfficersPage(FixedOrderPage):
    ordering = ("last_name", "first_name", "pk")


@extend_schema(tags=["queue"])
class QueueViewSet(viewsets.GenericViewSet):
    queryset = ServiceRequest.objects.none()  # the model, for the schema; the selectors name the officer
    serializer_class = QueueItemOut
    permission_classes = [IsVerifiedStaff]
    lookup_field = "reference"
    lookup_value_regex = REFERENCE
    filterset_class = QueueFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = QueuePage

    def get_queryset(self) -> QuerySet[ServiceRequest]:
        return ServiceRequest.objects.none()  # QueueFilter starts from the officer's own queue

    def get_object(self) -> ServiceRequest:
        try:
            return request_for_staff(user=self.request.user, reference=self.kwargs["reference"])
        except ServiceRequest.DoesNotExist as missing:
            raise Http404("no such request in this agency") from missing

    @extend_schema(operation_id="queue_list", responses=QueueItemOut(many=True))
    def list(self, request: Request) -> Response:
        """The open requests of the officer's agency, oldest submission first, filtered as in the back office."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(QueueItemOut(page, many=True).data)

    @extend_schema(operation_id="queue_retrieve", responses=StaffRequestOut)
    def retrieve(self, request: Request, reference: str) -> Response:
        """One request of the agency with its answers, checks and deadline; the reading is recorded."""
        tracked = self.get_object()
        access_record(user=request.user, request=tracked, purpose=Purpose.VIEWED_REQUEST, channel=CHANNEL)
        return Response(as_data(StaffRequestOut, tracked))

    @extend_schema(operation_id="queue_claim", request=None, responses=StaffRequestOut)
    @action(detail=True, methods=["post"])
    @idempotent
    def claim(self, request: Request, reference: str) -> Response:
        """Take the request to work on it; 409 if it cannot be claimed now."""
        return self._act(request_claim)

    @extend_schema(operation_id="queue_request_info", request=MessageIn, responses=StaffRequestOut)
    @action(detail=True, methods=["post"], url_path="request-info")
    @idempotent
    def request_info(self, request: Request, reference: str) -> Response:
        """Ask the citizen for more information; the deadline waits until they answer."""
        return self._act(request_info, MessageIn)

    @extend_schema(operation_id="queue_approve", request=ApproveIn, responses=StaffRequestOut)
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request: Request, reference: str) -> Response:
        """Approve the request; the result document is then issued."""
        return self._act(request_approve, ApproveIn)

    @extend_schema(operation_id="queue_reject", request=RejectIn, responses=StaffRequestOut)
    @action(detail=True, methods=["post"])
    @idempotent
    def reject(self, request: Request, reference: str) -> Response:
        """Refuse the request on one of its service's grounds, explained to the citizen in `text`."""
        return self._act(request_reject, RejectIn)

    @extend_schema(operation_id="queue_reassign", request=ReassignIn, responses=StaffRequestOut)
    @action(detail=True, methods=["post"])
    @idempotent
    def reassign(self, request: Request, reference: str) -> Response:
        """Give the request to another officer of the agency (supervisors only; 403 for others)."""
        tracked = self.get_object()
        assignee = _valid(ReassignIn, request)["assignee"]
        officer = agency_staff(user=request.user).filter(pk=assignee).first()
        if officer is None:
            raise serializers.ValidationError({"assignee": [_("Choose an officer of your agency.")]})
        request_reassign(request=tracked, user=request.user, assignee=officer, channel=CHANNEL)
        return Response(as_data(StaffRequestOut, self.get_object()))

    @extend_schema(operation_id="queue_notes", responses=NoteOut(many=True))
    @action(detail=True, methods=["get"], pagination_class=NotesPage)
    def notes(self, request: Request, reference: str) -> Response:
        """The request's internal notes, newest first; the citizen never sees them."""
        tracked = self.get_object()
        access_record(user=request.user, request=tracked, purpose=Purpose.VIEWED_REQUEST, channel=CHANNEL)
        page = self.paginate_queryset(request_notes(request=tracked))
        return self.get_paginated_response(NoteOut(page, many=True).data)

    @extend_schema(operation_id="queue_note_add", request=NoteIn, responses=StaffRequestOut)
    @notes.mapping.post
    @idempotent
    def note_add(self, request: Request, reference: str) -> Response:
        """Add an internal note to the request."""
        return self._act(request_note, NoteIn)

    @extend_schema(operation_id="queue_officers", responses=OfficerOut(many=True))
    @action(detail=False, methods=["get"], pagination_class=OfficersPage, filter_backends=[])
    def officers(self, request: Request) -> Response:
        """The officers of the caller's agency, by name: whom a supervisor may give a request to."""
        page = self.paginate_queryset(agency_staff(user=request.user))
        return self.get_paginated_response(OfficerOut(page, many=True).data)

    def _act(
        self, perform: Callable[..., ServiceRequest], body: type[serializers.Serializer] | None = None
    ) -> Response:
        """Look the request up (404 outside the agency), then read the body (400) and perform the action."""
        tracked = self.get_object()
        data = _valid(body, self.request) if body else {}
        perform(request=tracked, user=self.request.user, channel=CHANNEL, **data)
        return Response(as_data(StaffRequestOut, self.get_object()))
