"""A citizen's requests: drafts, pages, files, submit, respond, withdraw, the timeline and the result document.

Every look-up names the caller as the citizen, so another person's reference answers 404. A
third-party client's account (a bank) also reads, never moves, the requests of citizens who gave it
standing consent. Every move goes through the workflow's own functions, with the `api` channel.
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from portal.api.filters import RequestFilter
from portal.api.idempotency import idempotent
from portal.api.pagination import FixedOrderPage
from portal.api.problems import problem, problem_exception_handler
from portal.api.renderers import DownloadNegotiation, FileRenderer, PdfRenderer
from portal.api.serializers import (
    AttachmentOut,
    AttachmentUploadIn,
    EventOut,
    RequestCreateIn,
    RequestOut,
    RespondIn,
    StepIn,
    as_data,
)
from portal.tracking.views import INTERNAL_ACTIONS, download, result_document_download
from services.attachments.models import Attachment, Purpose
from services.attachments.selectors import attachment_for_viewer, attachments_visible_to
from services.attachments.service import attachment_upload, request_respond_with_attachments
from services.audit.models import Purpose as AccessPurpose
from services.audit.service import access_record, access_records_bulk
from services.catalogue.models import Service
from services.catalogue.selectors import services_open_for_requests
from services.consents.selectors import requests_readable_by
from services.workflow.models import RequestEvent, ServiceRequest
from services.workflow.service import (
    draft_save_step,
    draft_start,
    request_file,
    request_submit,
    request_withdraw,
)
from services.workflow.states import Action, Channel

REFERENCE = "[-A-Za-z0-9]+"
READS = ("list", "retrieve")


def own_requests(request: Request) -> QuerySet[ServiceRequest]:
    """The caller's own requests, with what their representation reads."""
    return _for_output(ServiceRequest.objects.filter(citizen=request.user))


def readable_requests(request: Request) -> QuerySet[ServiceRequest]:
    """The caller's own requests, or, for a third-party client, those its standing consents cover."""
    return _for_output(requests_readable_by(request.user))


def _for_output(requests: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    return requests.select_related("service", "form_version", "result_document")


@extend_schema(tags=["requests"])
class RequestViewSet(viewsets.GenericViewSet):
    queryset = ServiceRequest.objects.none()  # the model, for the schema; get_queryset names the caller
    serializer_class = RequestOut
    lookup_field = "reference"
    lookup_value_regex = REFERENCE
    filterset_class = RequestFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[ServiceRequest]:
        return readable_requests(self.request) if self.action in READS else own_requests(self.request)

    def filter_queryset(self, queryset: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def _moved(self, moved: ServiceRequest, code: int = status.HTTP_200_OK) -> Response:
        return Response(as_data(RequestOut, self.get_queryset().get(pk=moved.pk)), status=code)

    @extend_schema(operation_id="requests_list", responses=RequestOut(many=True))
    def list(self, request: Request) -> Response:
        """The caller's requests (for a third-party client, those its standing consents cover), newest first.

        Filter by state, service and creation time. A third party's reading of each request listed is recorded.
        """
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # The list shows the answers as retrieve does, so each request on the page is a reading the citizen sees.
        access_records_bulk(user=request.user, requests=page, purpose=AccessPurpose.VIEWED_REQUEST, channel=Channel.API)
        return self.get_paginated_response(RequestOut(page, many=True).data)

    @extend_schema(operation_id="requests_create", request=RequestCreateIn, responses={201: RequestOut})
    @idempotent
    def create(self, request: Request) -> Response:
        """Start a draft of a service on its current form (recorded as `started`), or file it in one call.

        With `answers` and `submit: true` the request is filed at once: validated by the same JSON
        Schema as the pages (field errors, nothing saved) and submitted. Forms with file questions
        need a draft, to upload the files to.
        """
        data = _valid(RequestCreateIn, request)
        try:
            service = services_open_for_requests().get(code=data["service"])
        except Service.DoesNotExist:
            raise serializers.ValidationError({"service": [_("There is no such service to apply for.")]}) from None
        if data["submit"]:
            created = request_file(
                citizen=request.user, service=service, answers=data.get("answers", {}), channel=Channel.API
            )
        else:
            created = draft_start(citizen=request.user, service=service, channel=Channel.API)
        # A request created just now has no result document: say so instead of asking the database.
        ServiceRequest.result_document.related.set_cached_value(created, None)
        return Response(as_data(RequestOut, created), status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="requests_retrieve")
    def retrieve(self, request: Request, reference: str) -> Response:
        """One of the caller's requests, or one a third-party client's standing consent covers (recorded)."""
        tracked = self.get_object()
        access_record(user=request.user, request=tracked, purpose=AccessPurpose.VIEWED_REQUEST, channel=Channel.API)
        return Response(as_data(RequestOut, tracked))

    @extend_schema(operation_id="requests_save_step", request=StepIn, responses=RequestOut)
    @action(detail=True, methods=["post"])
    @idempotent
    def steps(self, request: Request, reference: str) -> Response:
        """Save one page of a draft's answers, validated by the draft's own form version (`step_saved`)."""
        draft = self.get_object()
        data = _valid(StepIn, request)
        moved = draft_save_step(
            request=draft,
            user=request.user,
            page=data["page"],
            answers=data["answers"],
            channel=Channel.API,
        )
        return self._moved(moved)

    @extend_schema(operation_id="requests_submit", request=None, responses=RequestOut)
    @action(detail=True, methods=["post"])
    @idempotent
    def submit(self, request: Request, reference: str) -> Response:
        """Submit a draft: every answer is validated against its form version."""
        return self._moved(request_submit(request=self.get_object(), user=request.user, channel=Channel.API))

    @extend_schema(
        operation_id="requests_respond",
        request={"application/json": RespondIn, "multipart/form-data": RespondIn},
        responses=RequestOut,
    )
    @action(detail=True, methods=["post"], parser_classes=[*api_settings.DEFAULT_PARSER_CLASSES, MultiPartParser])
    @idempotent
    def respond(self, request: Request, reference: str) -> Response:
        """Answer the officer's information request, with documents as the page takes them; back to review.

        Send JSON `{"message"}`, or multipart/form-data with `message` and a `files` part per document.
        A refused document is a field error under `files`, and nothing is sent.
        """
        tracked = self.get_object()
        data = _valid(RespondIn, request)
        try:
            moved = request_respond_with_attachments(
                request=tracked,
                user=request.user,
                message=data["message"],
                files=data.get("files", []),
                channel=Channel.API,
            )
        except ValidationError as refused:
            return file_refusal(request, tracked, refused, field="files", action=Action.RESPOND)
        return self._moved(moved)

    @extend_schema(operation_id="requests_withdraw", request=None, responses=RequestOut)
    @action(detail=True, methods=["post"])
    @idempotent
    def withdraw(self, request: Request, reference: str) -> Response:
        """Withdraw a request before it is decided."""
        return self._moved(request_withdraw(request=self.get_object(), user=request.user, channel=Channel.API))

    @extend_schema(
        operation_id="requests_document",
        responses={(200, PdfRenderer.media_type): OpenApiTypes.BINARY},
        filters=False,
    )
    @action(detail=True, methods=["get"], renderer_classes=[PdfRenderer], content_negotiation_class=DownloadNegotiation)
    def document(self, request: Request, reference: str) -> FileResponse:
        """The signed result document (PDF) of a decided request."""
        return result_document_download(self.get_object())


class TimelinePage(FixedOrderPage):
    ordering = ("sequence",)


@extend_schema(tags=["requests"])
class TimelineViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The events of one of the caller's requests that the citizen sees, oldest first."""

    queryset = RequestEvent.objects.none()  # the model, for the schema
    serializer_class = EventOut
    pagination_class = TimelinePage
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[RequestEvent]:
        return RequestEvent.objects.filter(request=self._tracked()).exclude(action__in=INTERNAL_ACTIONS)

    def _tracked(self) -> ServiceRequest:
        return get_object_or_404(readable_requests(self.request), reference=self.kwargs["reference"])

    @extend_schema(operation_id="requests_timeline")
    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        """The request's timeline: what happened, when, through which channel (a third party's reading is recorded)."""
        tracked = self._tracked()
        access_record(user=request.user, request=tracked, purpose=AccessPurpose.VIEWED_REQUEST, channel=Channel.API)
        return super().list(request, *args, **kwargs)


class AttachmentPage(FixedOrderPage):
    ordering = ("uploaded_at", "pk")


@extend_schema(tags=["requests"])
class AttachmentViewSet(viewsets.GenericViewSet):
    """The files of one of the caller's own requests; a draft takes the documents its form asks for."""

    queryset = Attachment.objects.none()  # the model, for the schema
    serializer_class = AttachmentOut
    pagination_class = AttachmentPage
    parser_classes = [MultiPartParser]
    filter_backends: list = []
    lookup_url_kwarg = "id"  # the file's public id, as uploads answer it
    lookup_value_regex = "[-0-9a-fA-F]{32,36}"

    def _tracked(self) -> ServiceRequest:
        # Before the upload is handled: another person's reference is a 404 whatever was sent (with an
        # Idempotency-Key the body is read first, only to fingerprint it).
        return get_object_or_404(own_requests(self.request), reference=self.kwargs["reference"])

    @extend_schema(operation_id="requests_attachments")
    def list(self, request: Request, reference: str) -> Response:
        """The request's files the caller may open (the form's documents and those sent with answers), oldest first."""
        files = attachments_visible_to(viewer=request.user).filter(request=self._tracked())
        page = self.paginate_queryset(files)
        return self.get_paginated_response(AttachmentOut(page, many=True).data)

    @extend_schema(
        operation_id="requests_attachment_upload",
        request={"multipart/form-data": AttachmentUploadIn},
        responses={201: AttachmentOut},
    )
    @idempotent
    def create(self, request: Request, reference: str) -> Response:
        """Upload a document a draft's form asks for; then save its `id` as the question's answer in steps/.

        Checked as on the pages: a PDF, PNG or JPEG by its content, within the size and count limits
        (a field error under `file`); a question the form does not ask is a field error under
        `question`; a request that is no longer a draft is a 409. A new file for a question replaces
        the earlier ones, except the saved answer.
        """
        tracked = self._tracked()
        data = _valid(AttachmentUploadIn, request)
        try:
            attachment = attachment_upload(
                request=tracked, user=request.user, file=data["file"], purpose=Purpose.FORM, field=data["question"]
            )
        except ValidationError as refused:
            return file_refusal(request, tracked, refused, field="file", action="upload")
        return Response(as_data(AttachmentOut, attachment), status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="requests_attachment_download",
        responses={(200, FileRenderer.media_type): OpenApiTypes.BINARY},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="content",
        renderer_classes=[FileRenderer],
        content_negotiation_class=DownloadNegotiation,
    )
    def content(self, request: Request, reference: str, id: str) -> FileResponse:
        """The file itself, as uploaded (its `content_type`), as a download; 404 for anyone but its citizen."""
        try:
            attachment = attachment_for_viewer(viewer=request.user, public_id=id, reference=self._tracked().reference)
        except (Attachment.DoesNotExist, ValidationError):  # not theirs, or not an id at all
            raise Http404("no such file") from None
        return download(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


def file_refusal(
    request: Request, tracked: ServiceRequest, refused: ValidationError, *, field: str, action: str
) -> Response:
    """The domain's refusal of a file as a problem: a request that takes no more files is a conflict (409,
    with its state); any other is a field error (400) under `field`, or `question` for one the form does not ask."""
    codes = {error.code for error in refused.error_list}
    if "closed" in codes:
        detail = " ".join(refused.messages)
        return problem(
            status=409, kind="conflict", detail=detail, state=str(tracked.state), action=action, request=request
        )
    errors = {"question" if "field" in codes else field: refused.messages}
    # Through the project's handler, so the 400 is worded as every other field error.
    return problem_exception_handler(serializers.ValidationError(errors), {"request": request})


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
