"""The dashboard's figures by API: the public service performance, and the staff's full breakdown.

The same reads as the pages (`portal.dashboard.figures`) and the same filters (`portal.dashboard.forms`);
invalid filters are a problem+json 400 like every other invalid input of the API.
"""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.authentication import second_factor_verified
from portal.dashboard import figures
from portal.dashboard.forms import DashboardFilterForm, PeriodForm
from services.metrics.selectors import Filters

PERIOD = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="First local date of the period (inclusive)."),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last local date of the period (inclusive)."),
]
BREAKDOWN = [
    *PERIOD,
    OpenApiParameter("service", str, description="A service code."),
    OpenApiParameter("region", str, description="A region code."),
    OpenApiParameter("age_band", str, description="An age band, such as 30-44."),
    OpenApiParameter("channel", str, description="The channel of the request."),
    OpenApiParameter("basis", str, enum=["period", "cohort"], description="Events in the period, or its starts."),
]


class FigureOut(serializers.Serializer):
    """The KPIs of one value of a dimension ("all" for the total)."""

    dimension = serializers.CharField()
    value = serializers.CharField()
    label = serializers.CharField()
    started = serializers.IntegerField()
    submitted = serializers.IntegerField()
    completed = serializers.IntegerField()
    issued = serializers.IntegerField()
    rejected = serializers.IntegerField()
    abandoned = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    expired = serializers.IntegerField()
    failed = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True)
    decision_days_median = serializers.FloatField(allow_null=True)
    decision_days_p90 = serializers.FloatField(allow_null=True)
    within_deadline_share = serializers.FloatField(allow_null=True)
    digital_take_up = serializers.FloatField(allow_null=True)
    automatic_share = serializers.FloatField(allow_null=True)
    satisfied_share = serializers.FloatField(allow_null=True)
    satisfaction_score = serializers.FloatField(allow_null=True)
    satisfaction_answers = serializers.IntegerField()
    satisfaction_low_confidence = serializers.BooleanField(
        allow_null=True, help_text="Fewer answers than METRICS_SATISFACTION_CONFIDENT_ANSWERS (400): a rough figure."
    )
    cost_per_transaction = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    decisions = serializers.IntegerField()


class PublicFigureOut(FigureOut):
    """Published KPIs: a group fewer than `fewer_than` requests were started in is `withheld`, every
    figure null; in a larger group a rate or time over fewer decisions, completions or answers is null."""

    withheld = serializers.BooleanField(help_text="Too few requests were started in this group to publish its figures.")
    fewer_than = serializers.IntegerField(help_text="A group or a rate's base under this count is withheld.")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name, field in fields.items():
            if isinstance(field, serializers.IntegerField) and name != "fewer_than":
                field.allow_null = True  # the counts of a withheld group
        return fields


class PerformanceOut(serializers.Serializer):
    figures = PublicFigureOut(many=True)


class DashboardOut(serializers.Serializer):
    figures = FigureOut(many=True)
    funnels = serializers.ListField(child=serializers.DictField())
    completion_over_time = serializers.ListField(child=serializers.DictField())
    score = serializers.DictField()


class IsVerifiedStaffOrAdministrator(permissions.IsAuthenticated):
    """Agency staff of any role, or administrators: a session verified with a one-time code or a token made from one."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        user = request.user
        return bool((user.staff_role or user.is_staff) and second_factor_verified(request))


def _filters(form: Any) -> Filters:
    if form.is_bound and not form.is_valid():
        raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
    return form.filters()


def _plain(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in row.items() if key != "satisfaction_per_level"} for row in rows]


@extend_schema(tags=["performance"])
class PerformanceView(APIView):
    """The portal's service performance, open to anyone: counts and shares per service, no personal data."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(operation_id="performance_retrieve", parameters=PERIOD, responses=PerformanceOut)
    def get(self, request: Request) -> Response:
        """The portal-wide KPIs ("all") and those of each service over the period."""
        total, rows = figures.public_rows(_filters(PeriodForm(request.query_params or None)))
        return Response({"figures": _plain(figures.public_export_rows(total, rows))})


@extend_schema(tags=["performance"])
class DashboardView(APIView):
    """The staff dashboard's figures: by service, region, age band and channel, the funnels and the score."""

    permission_classes = [IsVerifiedStaffOrAdministrator]

    @extend_schema(operation_id="dashboard_retrieve", parameters=BREAKDOWN, responses=DashboardOut)
    def get(self, request: Request) -> Response:
        """Every figure of the staff dashboard for the filters."""
        dashboard = figures.staff_dashboard(_filters(DashboardFilterForm(request.query_params or None)))
        rows = _plain(figures.export_rows(dashboard.groups, dashboard.total))
        return Response({"figures": rows, **figures.export_details(dashboard)})
