"""Query parameters of the lists, with django-filter; the catalogue's search is the catalogue's own selector."""

from datetime import UTC, datetime

import django_filters
from django import forms
from django.db.models import QuerySet
from django_filters.fields import IsoDateTimeField

from services.backoffice.selectors import QUEUE_STATES, Assignment, DeadlineStatus, queue_for_agency
from services.catalogue.models import Service
from services.catalogue.selectors import services_search
from services.i18n import current_language
from services.workflow.models import ServiceRequest
from services.workflow.states import State


class ServiceFilter(django_filters.FilterSet):
    """`q` (words in the reader's language), `agency` and `life_event` (codes), as on /services/."""

    q = django_filters.CharFilter(method="_all_at_once", max_length=200, help_text="Words to search for.")
    agency = django_filters.CharFilter(method="_all_at_once", help_text="An agency's code.")
    life_event = django_filters.CharFilter(method="_all_at_once", help_text="A life event's code.")

    class Meta:
        model = Service
        fields = ["q", "agency", "life_event"]

    def _all_at_once(self, queryset: QuerySet[Service], name: str, value: str) -> QuerySet[Service]:
        return queryset  # applied together in filter_queryset, by the selector

    def filter_queryset(self, queryset: QuerySet[Service]) -> QuerySet[Service]:
        data = self.form.cleaned_data
        return services_search(
            text=data.get("q") or "",
            agency=data.get("agency") or None,
            life_event=data.get("life_event") or None,
            language=current_language(),
        )


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time in UTC: PostgreSQL refuses offsets beyond 15:59 that Python accepts."""

    def clean(self, value: str | None) -> datetime | None:
        moment = super().clean(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError) as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class RequestFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=State.choices)
    service = django_filters.CharFilter(field_name="service__code", help_text="A service's code.")
    created_after = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = ServiceRequest
        fields = ["state", "service", "created_after", "created_before"]


class QueueFilter(django_filters.FilterSet):
    """The back office's queue filters; the queue itself is the back office's selector."""

    service = django_filters.CharFilter(method="_all_at_once", help_text="A service's code.")
    state = django_filters.ChoiceFilter(method="_all_at_once", choices=[(s.value, s.label) for s in QUEUE_STATES])
    deadline = django_filters.ChoiceFilter(method="_all_at_once", choices=DeadlineStatus.choices)
    escalated = django_filters.BooleanFilter(method="_all_at_once", help_text="Only escalated requests.")
    assignment = django_filters.ChoiceFilter(method="_all_at_once", choices=Assignment.choices)

    class Meta:
        model = ServiceRequest
        fields = ["service", "state", "deadline", "escalated", "assignment"]

    def _all_at_once(self, queryset: QuerySet[ServiceRequest], name: str, value: str) -> QuerySet[ServiceRequest]:
        return queryset  # applied together in filter_queryset, by the selector

    def filter_queryset(self, queryset: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
        data = self.form.cleaned_data
        queue = queue_for_agency(
            user=self.request.user,
            state=data.get("state") or "",
            deadline=data.get("deadline") or "",
            escalated=bool(data.get("escalated")),
            assignment=data.get("assignment") or "",
        )
        return queue.filter(service__code=data["service"]) if data.get("service") else queue
