"""Input and output serializers. They translate between JSON and the domain; they never decide.

Texts are in the reader's language (Accept-Language: kk, ru or en).
"""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from services.apiclients.models import AccessToken
from services.apiclients.tokens import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS
from services.catalogue.models import DecisionMode, ResultDocument, Service
from services.i18n import pick
from services.workflow.models import RequestEvent, ServiceRequest
from services.workflow.states import RULES, Action, ActorKind, Channel, State

# The actions the citizen may take from each state, read from the workflow's one rule table.
CITIZEN_ACTIONS: dict[str, list[str]] = {}
for (_action, _source), _rule in RULES.items():
    if ActorKind.CITIZEN in _rule.actors and _action in (Action.SUBMIT, Action.RESPOND, Action.WITHDRAW):
        CITIZEN_ACTIONS.setdefault(_source, []).append(str(_action))


class AgencyOut(serializers.Serializer):
    code = serializers.SlugField()
    name = serializers.CharField()


class LifeEventOut(serializers.Serializer):
    code = serializers.SlugField()
    name = serializers.CharField()


class DocumentOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RefusalGroundOut(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()


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
    form = FormOut(allow_null=True)

    @extend_schema_field(DocumentOut(many=True))
    def get_required_documents(self, service: Service) -> list[dict[str, str]]:
        return [{"code": doc["code"], "name": pick(doc["name"])} for doc in service.required_documents]

    @extend_schema_field(RefusalGroundOut(many=True))
    def get_refusal_grounds(self, service: Service) -> list[dict[str, str]]:
        return [{"code": ground["code"], "text": pick(ground["text"])} for ground in service.refusal_grounds]


class PrefillOut(serializers.Serializer):
    form_version = serializers.IntegerField()
    answers = serializers.DictField(help_text="Answers the state registries know, by field name.")


class RequestCreateIn(serializers.Serializer):
    service = serializers.SlugField(help_text="The code of the service to apply for.")


class StepIn(serializers.Serializer):
    page = serializers.CharField(max_length=100, help_text="An id from the form's x-pages.")
    answers = serializers.DictField(help_text="The page's answers, typed as the form's JSON Schema says.")


class RespondIn(serializers.Serializer):
    message = serializers.CharField(max_length=5000, allow_blank=True, trim_whitespace=False)


class RequestOut(serializers.ModelSerializer):
    """A citizen's request, with the actions open to the citizen in its current state."""

    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    state = serializers.ChoiceField(choices=State.choices)
    state_label = serializers.SerializerMethodField()
    form_version = serializers.IntegerField(source="form_version.version")
    answers = serializers.DictField(source="form_data")
    channel = serializers.ChoiceField(choices=Channel.choices)
    actions = serializers.SerializerMethodField(help_text="What the citizen can do now: submit, respond, withdraw.")
    has_document = serializers.SerializerMethodField(help_text="Whether the result document can be downloaded.")

    class Meta:
        model = ServiceRequest
        fields = [
            "reference",
            "service",
            "state",
            "state_label",
            "form_version",
            "answers",
            "channel",
            "created_at",
            "updated_at",
            "submitted_at",
            "deadline",
            "decided_at",
            "completed_at",
            "decision_reason",
            "actions",
            "has_document",
        ]
        read_only_fields = fields

    def get_state_label(self, request: ServiceRequest) -> str:
        return str(State(request.state).label)

    def get_actions(self, request: ServiceRequest) -> list[str]:
        return CITIZEN_ACTIONS.get(request.state, [])

    def get_has_document(self, request: ServiceRequest) -> bool:
        return hasattr(request, "result_document")


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
