"""Input and output serializers. They translate between JSON and the domain; they never decide.

Texts are in the reader's language (Accept-Language: kk, ru or en).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from services.apiclients.models import AccessToken
from services.apiclients.tokens import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS
from services.attachments.models import Purpose as AttachmentPurpose
from services.backoffice.selectors import DeadlineStatus, deadline_status, working_days_left
from services.catalogue.models import DecisionMode, ResultDocument, Service
from services.consents.models import Consent, Purpose
from services.i18n import pick
from services.processing.models import CheckResult
from services.webhooks.models import Delivery, DeliveryAttempt, Subscription
from services.workflow.models import RequestEvent, ServiceRequest
from services.workflow.states import RULES, Action, ActorKind, Channel, State

# The actions the citizen may take from each state, read from the workflow's one rule table.
CITIZEN_ACTIONS: dict[str, list[str]] = {}
for (_action, _source), _rule in RULES.items():
    if ActorKind.CITIZEN in _rule.actors and _action in (Action.SUBMIT, Action.RESPOND, Action.WITHDRAW):
        CITIZEN_ACTIONS.setdefault(_source, []).append(str(_action))
# The actions an officer may take from each state through the API, from the same table, in this order.
OFFICER_ACTIONS: dict[str, list[str]] = {}
for _action in (Action.CLAIM, Action.REQUEST_INFO, Action.APPROVE, Action.REJECT):
    for _source in State:
        _rule = RULES.get((_action, _source))
        if _rule is not None and ActorKind.CLERK in _rule.actors:
            OFFICER_ACTIONS.setdefault(_source, []).append(str(_action))


class AgencyOut(serializers.Serializer):
    code = serializers.SlugField()
    name = serializers.CharField()


class LifeEventOut(serializers.Serializer):
    code = serializers.SlugField()
    name = serializers.CharField()


class DocumentOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CodedTextOut(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()


class RefusalGroundOut(CodedTextOut):
    """A ground on which the agency may refuse, in the reader's language."""


class InPersonStepOut(CodedTextOut):
    """A step the citizen must still take in person (for example giving fingerprints)."""


class ServiceOut(serializers.Serializer):
    """A service in the catalogue list."""

    code = serializers.SlugField()
    name = serializers.CharField()
    agency = AgencyOut()
    fee_kzt = serializers.IntegerField()
    legal_deadline_days = serializers.IntegerField(help_text="Working days, set by law.")
    service_target_minutes = serializers.SerializerMethodField(help_text="The portal's own target.")
    decision_mode = serializers.ChoiceField(choices=DecisionMode.choices)

    def get_service_target_minutes(self, service: Service) -> int:
        return int(service.service_target.total_seconds() // 60)


class FormOut(serializers.Serializer):
    version = serializers.IntegerField()
    schema = serializers.JSONField(help_text="JSON Schema 2020-12 with the portal's x- keywords.")


class ServiceDetailOut(ServiceOut):
    """A service's passport, with the JSON Schema of its current form."""

    description = serializers.CharField()
    result_document = serializers.ChoiceField(choices=ResultDocument.choices)
    life_events = LifeEventOut(many=True, source="life_events.all")
    required_documents = serializers.SerializerMethodField()
    refusal_grounds = serializers.SerializerMethodField()
    in_person_steps = serializers.SerializerMethodField(help_text="What the citizen must still do in person.")
    form = FormOut(allow_null=True)

    @extend_schema_field(DocumentOut(many=True))
    def get_required_documents(self, service: Service) -> list[dict[str, str]]:
        return [{"code": doc["code"], "name": pick(doc["name"])} for doc in service.required_documents]

    @extend_schema_field(RefusalGroundOut(many=True))
    def get_refusal_grounds(self, service: Service) -> list[dict[str, str]]:
        return [{"code": ground["code"], "text": pick(ground["text"])} for ground in service.refusal_grounds]

    @extend_schema_field(InPersonStepOut(many=True))
    def get_in_person_steps(self, service: Service) -> list[dict[str, str]]:
        return [{"code": step["code"], "text": pick(step["text"])} for step in service.in_person_steps]


class PrefillOut(serializers.Serializer):
    form_version = serializers.IntegerField()
    answers = serializers.DictField(help_text="Answers the state registries know, by field name.")


class PersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class RequestCreateIn(serializers.Serializer):
    service = serializers.SlugField(help_text="The code of the service to apply for.")
    answers = serializers.DictField(
        required=False,
        help_text="Every answer of the form, typed as its JSON Schema says; only with `submit: true`.",
    )
    submit = serializers.BooleanField(
        default=False,
        help_text="File the request in one call: the answers are validated as a submit validates them and "
        "the request is submitted (recorded as started, each page saved, submitted). Without it, a draft "
        "is started and its pages are saved with `steps`.",
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if "answers" in data and not data["submit"]:
            raise serializers.ValidationError(
                {"answers": [_("Send answers with submit: true, or save a draft's pages one by one.")]}
            )
        return data


class StepIn(serializers.Serializer):
    page = serializers.CharField(max_length=100, help_text="An id from the form's x-pages.")
    answers = serializers.DictField(help_text="The page's answers, typed as the form's JSON Schema says.")


class RespondIn(serializers.Serializer):
    message = serializers.CharField(max_length=5000, allow_blank=True, trim_whitespace=False)
    # Emptiness, size and type are the domain's to refuse, in its own words: DRF only takes the files.
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        required=False,
        help_text="Documents sent with the answer (multipart/form-data only, one part per file): PDF, PNG or JPEG.",
    )


class AttachmentUploadIn(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, help_text="A PDF, PNG or JPEG scan or photo.")
    question = serializers.CharField(
        max_length=64, help_text="The form's file question (a field with format `attachment`) the file answers."
    )


class AttachmentOut(serializers.Serializer):
    """A file uploaded to a request; a form's file question is answered in steps/ with its `id`."""

    id = serializers.UUIDField(source="public_id")
    question = serializers.CharField(
        source="field", help_text="The form question it answers; empty for a document sent with an answer."
    )
    purpose = serializers.ChoiceField(choices=AttachmentPurpose.choices)
    original_name = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes.")
    content_type = serializers.CharField(help_text="Detected from the content, not the name.")
    sha256 = serializers.CharField(help_text="Hex SHA-256 of the stored bytes.")
    uploaded_at = serializers.DateTimeField()


class _RequestFields(serializers.Serializer):
    """What every representation of a request says: its service's code, its state and channel."""

    reference = serializers.CharField(read_only=True)
    service = serializers.CharField(source="service.code", read_only=True)
    state = serializers.ChoiceField(choices=State.choices)
    state_label = serializers.SerializerMethodField()
    channel = serializers.ChoiceField(choices=Channel.choices)

    def get_state_label(self, request: ServiceRequest) -> str:
        return str(State(request.state).label)


class RequestOut(_RequestFields):
    """A citizen's request, with the actions open to the citizen in its current state."""

    # A plain serializer: no model field introspection at every response (every filing ends with one).
    form_version = serializers.IntegerField(source="form_version.version")
    answers = serializers.DictField(source="form_data")
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    deadline = serializers.DateField(
        read_only=True, allow_null=True, help_text=ServiceRequest._meta.get_field("deadline").help_text
    )
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decision_reason = serializers.CharField(read_only=True)
    actions = serializers.SerializerMethodField(help_text="What the citizen can do now: submit, respond, withdraw.")
    has_document = serializers.SerializerMethodField(help_text="Whether the result document can be downloaded.")

    def get_actions(self, request: ServiceRequest) -> list[str]:
        return CITIZEN_ACTIONS.get(request.state, [])

    def get_has_document(self, request: ServiceRequest) -> bool:
        return hasattr(request, "result_document")


class QueueItemOut(_RequestFields, serializers.ModelSerializer):
    """A request in the officer's queue, with its deadline as the back office counts it."""

    deadline_status = serializers.SerializerMethodField()
    working_days_left = serializers.SerializerMethodField(help_text="Negative: working days overdue.")
    clock_paused = serializers.SerializerMethodField(help_text="Whether the deadline waits for the citizen.")
    assignee = serializers.SerializerMethodField(help_text="The officer working on it (id and name), if any.")

    class Meta:
        model = ServiceRequest
        fields = [
            "reference",
            "service",
            "state",
            "state_label",
            "channel",
            "submitted_at",
            "deadline",
            "deadline_status",
            "working_days_left",
            "clock_paused",
            "escalated",
            "assignee",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=DeadlineStatus.choices, allow_null=True))
    def get_deadline_status(self, request: ServiceRequest) -> str | None:
        status = deadline_status(request)
        return status.value if status else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_working_days_left(self, request: ServiceRequest) -> int | None:
        return working_days_left(request)

    def get_clock_paused(self, request: ServiceRequest) -> bool:
        return request.clock_paused_at is not None

    @extend_schema_field(PersonOut(allow_null=True))
    def get_assignee(self, request: ServiceRequest) -> dict[str, Any] | None:
        return as_data(PersonOut, request.assignee) if request.assignee else None


class CheckOut(serializers.ModelSerializer):
    class Meta:
        model = CheckResult
        fields = ["check_code", "outcome", "finding", "refusal_ground", "checked_at"]
        read_only_fields = fields


class StaffRequestOut(QueueItemOut):
    """A request as its officer reads it: the citizen, the answers, the automated checks, the officer's actions."""

    citizen = PersonOut()
    form_version = serializers.IntegerField(source="form_version.version")
    answers = serializers.DictField(source="form_data")
    checks = CheckOut(many=True, source="check_results.all")
    refusal_grounds = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(help_text="What an officer can do now: claim, request_info, ...")

    class Meta(QueueItemOut.Meta):
        fields = [
            *QueueItemOut.Meta.fields,
            "citizen",
            "language",
            "form_version",
            "answers",
            "checks",
            "refusal_grounds",
            "decision_reason",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(RefusalGroundOut(many=True))
    def get_refusal_grounds(self, request: ServiceRequest) -> list[dict[str, str]]:
        return [{"code": item["code"], "text": pick(item["text"])} for item in request.service.refusal_grounds]

    def get_actions(self, request: ServiceRequest) -> list[str]:
        return OFFICER_ACTIONS.get(request.state, [])


class OfficerOut(PersonOut):
    """An officer of the caller's agency, to give a request to."""

    role = serializers.CharField(source="staff_role")


class ReassignIn(serializers.Serializer):
    assignee = serializers.IntegerField(help_text="The id of an officer of the agency (from queue_officers).")


class NoteIn(serializers.Serializer):
    text = serializers.CharField(max_length=5000, allow_blank=True, help_text="Staff read it; the citizen never does.")


class NoteOut(serializers.Serializer):
    """An internal note on a request."""

    sequence = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    author = PersonOut(source="actor")
    text = serializers.CharField(source="payload.text")


class MessageIn(serializers.Serializer):
    message = serializers.CharField(max_length=5000, allow_blank=True, help_text="What the citizen should send.")


class ApproveIn(serializers.Serializer):
    note = serializers.CharField(max_length=5000, allow_blank=True, default="", help_text="An internal note.")


class RejectIn(serializers.Serializer):
    ground = serializers.CharField(max_length=50, help_text="A code from the request's refusal_grounds.")
    text = serializers.CharField(max_length=5000, help_text="The explanation the citizen reads.")


class EventOut(serializers.ModelSerializer):
    """One event of the request's timeline, as the citizen sees it."""

    action = serializers.ChoiceField(choices=Action.choices)
    action_label = serializers.SerializerMethodField()
    from_state = serializers.ChoiceField(choices=State.choices)
    to_state = serializers.ChoiceField(choices=State.choices)
    actor_kind = serializers.ChoiceField(choices=ActorKind.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    text = serializers.SerializerMethodField(help_text="The officer's question, the reason, or the answer.")

    class Meta:
        model = RequestEvent
        fields = [
            "sequence",
            "action",
            "action_label",
            "from_state",
            "to_state",
            "actor_kind",
            "channel",
            "created_at",
            "text",
        ]
        read_only_fields = fields

    def get_action_label(self, event: RequestEvent) -> str:
        return str(Action(event.action).label)

    def get_text(self, event: RequestEvent) -> str:
        from portal.tracking.views import EVENT_TEXT

        return str(event.payload.get(EVENT_TEXT.get(event.action, ""), ""))


class VerificationOut(serializers.Serializer):
    """Whether a result document is genuine; for a genuine one, what it is and whose (the IIN masked)."""

    valid = serializers.BooleanField()
    reason = serializers.CharField(help_text="Why not valid: malformed_code, unknown_code, altered, unavailable.")
    code = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    service_name = serializers.CharField()
    agency_name = serializers.CharField()
    reference = serializers.CharField()
    holder_name = serializers.CharField()
    holder_iin = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)


class TokenIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    lifetime_days = serializers.IntegerField(min_value=1, max_value=MAX_LIFETIME_DAYS, default=DEFAULT_LIFETIME_DAYS)

    def validate_name(self, name: str) -> str:
        if not name.strip():
            raise serializers.ValidationError(serializers.CharField.default_error_messages["blank"])
        return name


class TokenOut(serializers.ModelSerializer):
    class Meta:
        model = AccessToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at"]
        read_only_fields = fields


class TokenCreatedOut(TokenOut):
    secret = serializers.SerializerMethodField(help_text="Shown only in this response: keep it now.")

    class Meta(TokenOut.Meta):
        fields = [*TokenOut.Meta.fields, "secret"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_secret(self, token: AccessToken) -> str:
        return self.context["secret"]


def as_data(serializer_class: type[serializers.Serializer], instance: Any, **context: Any) -> Any:
    """The serialized form of `instance`."""
    return serializer_class(instance, context=context).data


class ThirdPartyClientOut(serializers.Serializer):
    name = serializers.CharField()
    bin = serializers.CharField()


class ConsentOut(serializers.ModelSerializer):
    client = ThirdPartyClientOut(read_only=True)
    standing = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = ["id", "client", "purpose", "given_at", "revoked_at", "standing"]
        read_only_fields = fields


class ConsentIn(serializers.Serializer):
    client = serializers.RegexField(r"^\d{12}$", help_text="The organisation's BIN.")
    purpose = serializers.ChoiceField(choices=Purpose.choices)


class WebhookIn(serializers.Serializer):
    url = serializers.URLField(max_length=2000, help_text="An https URL at a public address.")
    states = serializers.ListField(
        child=serializers.ChoiceField(choices=State.choices),
        default=list,
        max_length=len(State),
        help_text="Send only changes to these states; empty or left out: every change.",
    )


class WebhookOut(serializers.ModelSerializer):
    states = serializers.ListField(child=serializers.ChoiceField(choices=State.choices), read_only=True)

    class Meta:
        model = Subscription
        fields = ["id", "url", "states", "created_at"]
        read_only_fields = fields


class WebhookCreatedOut(WebhookOut):
    secret = serializers.SerializerMethodField(
        help_text="The signing secret (whsec_...), shown only in this response: keep it now."
    )

    class Meta(WebhookOut.Meta):
        fields = [*WebhookOut.Meta.fields, "secret"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_secret(self, subscription: Subscription) -> str:
        return self.context["secret"]


class DeliveryAttemptOut(serializers.ModelSerializer):
    """One attempt to deliver one event: the delivery's id is the `webhook-id` header sent."""

    delivery = serializers.IntegerField(source="delivery_id", read_only=True)
    delivery_state = serializers.ChoiceField(source="delivery.state", choices=Delivery.State.choices, read_only=True)
    reference = serializers.CharField(source="delivery.event.request.reference", read_only=True)
    state = serializers.ChoiceField(source="delivery.event.to_state", choices=State.choices, read_only=True)
    sequence = serializers.IntegerField(source="delivery.event.sequence", read_only=True)

    class Meta:
        model = DeliveryAttempt
        fields = [
            "delivery",
            "delivery_state",
            "reference",
            "state",
            "sequence",
            "number",
            "started_at",
            "duration_ms",
            "status_code",
            "error",
        ]
        read_only_fields = fields
