"""The dashboard: the staff page with every figure and filter, the public page of KPIs per service.

Both read `services.metrics` through `portal.dashboard.figures`; `?format=csv` or `?format=json`
gives the same figures as a file, with the same permission as the page.
"""

import csv
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from portal.dashboard import figures
from portal.dashboard.access import dashboard_staff_required
from portal.dashboard.forms import DashboardFilterForm, PeriodForm
from services.metrics.disclosure import minimum_count
from services.metrics.selectors import Filters

FORMATS = ("html", "csv", "json")
# Columns of the CSV export, after dimension, value and label.
CSV_FIGURES = [name for name in figures.Kpis.__dataclass_fields__ if name != "satisfaction_per_level"]
# The public export's columns also say whether a row is withheld, and under what count.
PUBLIC_CSV_FIGURES = [*CSV_FIGURES, "withheld", "fewer_than"]


def _rate(group: str, request: HttpRequest) -> str:
    return settings.DASHBOARD_PUBLIC_RATE_LIMIT


@never_cache
@dashboard_staff_required
@require_GET
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    """Every figure, filtered by period, service, region, age band and channel, by event or by cohort."""
    form = DashboardFilterForm({"basis": "period", **request.GET.dict()})
    output = request.GET.get("format", "html")
    if not form.is_valid() or output not in FORMATS:
        return _invalid(request, output, form, "portal/dashboard/staff.html")
    dashboard = figures.staff_dashboard(form.filters())
    if output != "html":
        rows = figures.export_rows(dashboard.groups, dashboard.total)
        return _export(output, "dashboard", dashboard.filters, rows, figures.export_details(dashboard))
    context = {
        "form": form,
        "dashboard": dashboard,
        "charts": figures.charts(dashboard),
        "satisfaction": figures.satisfaction(dashboard.total),
        "query": _query(request),
    }
    return render(request, "portal/dashboard/staff.html", context)


@ratelimit(key="ip", rate=_rate, block=False)
@require_GET
def public_dashboard(request: HttpRequest) -> HttpResponse:
    """The portal's KPIs per service, as published service performance: counts and shares, no personal data."""
    if getattr(request, "limited", False):
        return render(request, "portal/dashboard/limited.html", status=429)
    form = PeriodForm(request.GET or None)
    output = request.GET.get("format", "html")
    if (form.is_bound and not form.is_valid()) or output not in FORMATS:
        return _invalid(request, output, form, "portal/dashboard/public.html")
    filters = form.filters()
    total, rows = figures.public_rows(filters)
    if output != "html":
        return _export(
            output, "service-performance", filters, figures.public_export_rows(total, rows), {}, PUBLIC_CSV_FIGURES
        )
    context = {
        "form": form,
        "total": total,
        "rows": rows,
        "satisfaction": figures.satisfaction(total.kpis),
        "fewer_than": minimum_count(),
        "query": _query(request),
    }
    return render(request, "portal/dashboard/public.html", context)


def _invalid(request: HttpRequest, output: str, form: PeriodForm, template: str) -> HttpResponse:
    """The page with the errors next to the fields; for an export, the errors as JSON."""
    if output not in FORMATS:
        return JsonResponse({"format": [_("Choose csv or json.")]}, status=400)
    if output != "html":
        return JsonResponse({name: [str(e) for e in errors] for name, errors in form.errors.items()}, status=400)
    error_list = [(f"#{form[name].auto_id}", message) for name, errors in form.errors.items() for message in errors]
    return render(request, template, {"form": form, "query": _query(request), "error_list": error_list}, status=400)


def _query(request: HttpRequest) -> str:
    """The filters as a query string, for the export links."""
    query = request.GET.copy()
    query.pop("format", None)
    return query.urlencode()


def _export(
    output: str,
    name: str,
    filters: Filters,
    rows: list[dict[str, Any]],
    extra: dict[str, Any],
    figure_columns: list[str] = CSV_FIGURES,
) -> HttpResponse:
    period = {
        key: value.isoformat() if value else None for key, value in (("start", filters.start), ("end", filters.end))
    }
    if output == "json":
        filters_used = {**vars(filters), **period}
        return JsonResponse(
            {"filters": filters_used, "figures": rows, **extra}, json_dumps_params={"ensure_ascii": False}
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    columns = ["dimension", "value", "label", *figure_columns]
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[key]) for key in columns])
    return response


def _cell(value: Any) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
