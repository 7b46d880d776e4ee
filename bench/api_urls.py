"""The portal's URLs and two baselines of the filing benchmark: `/bench/bare/`, a bare Django view
answering JSON, and `/bench/naive-filing/`, a naive DRF view that files with three INSERTs."""

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as portal_urlpatterns
from services.catalogue.models import Service
from services.workflow.models import RequestEvent, ServiceRequest, SideEffect
from services.workflow.references import new_reference
from services.workflow.states import Action, ActorKind, Channel, State


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


class NaiveFiling(APIView):
    """What the issue calls a naive three-insert DRF view: the API's authentication, permissions and
    rate limits, then the request, its event and one outbox row, with no rule, schema, idempotency
    key, webhook or dispatch. A reference point for the measurements, not a way to file."""

    def post(self, request: Request) -> Response:
        service = Service.objects.select_related("form").get(code=request.data["service"])
        now = timezone.now()
        with transaction.atomic():
            filed = ServiceRequest.objects.create(
                reference=new_reference(),
                citizen=request.user,
                service=service,
                form_version=service.form,
                state=State.SUBMITTED,
                form_data=request.data["answers"],
                channel=Channel.API,
                submitted_at=now,
                event_count=1,
            )
            event = RequestEvent.objects.create(
                request=filed,
                sequence=1,
                action=Action.SUBMIT,
                from_state=State.DRAFT,
                to_state=State.SUBMITTED,
                actor=request.user,
                actor_kind=ActorKind.CITIZEN,
                channel=Channel.API,
                created_at=now,
            )
            SideEffect.objects.create(request=filed, event=event, kind="process")
        return Response({"reference": filed.reference, "state": filed.state}, status=201)


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/naive-filing/", NaiveFiling.as_view()),
    *portal_urlpatterns,
]
