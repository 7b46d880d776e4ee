"""The portal's benchmark score, 0..100: a proxy, with the reference lines drawn beside it.

Mean of four pillars, after the EU eGovernment Benchmark's average of four (REFERENCE.md section 3):
completion, timeliness and satisfaction come from the rollups; service supply is a checklist
derived from the catalogue (the EU benchmark's user-centricity, transparency and key-enabler
items). Only service supply has an international counterpart. The reference lines and their
sources are configuration (`settings.METRICS_REFERENCE_LINES`).
"""

from dataclasses import dataclass
from statistics import mean

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from services.catalogue.models import Service
from services.documents.models import DocumentKind
from services.metrics.selectors import Filters, Kpis, kpis

SUPPLY_ITEMS: dict[str, Promise] = {
    "fully_online": _("Fully online, end to end"),
    "eid_login": _("Login with an electronic identity"),
    "prefilled": _("Answers pre-filled from state registries"),
    "tracking": _("Progress tracking"),
    "expected_duration": _("Expected duration shown"),
    "mobile_friendly": _("Works on a mobile phone"),
    "verifiable_document": _("Result as a verifiable digital document"),
}

PILLAR_LABELS: dict[str, Promise] = {
    "completion": _("Completion"),
    "timeliness": _("Decided within the legal deadline"),
    "satisfaction": _("Satisfaction"),
    "supply": _("Service supply"),
}

PROXY_NOTE = _(
    "This score is the portal's own proxy on a 0 to 100 scale, the mean of four pillars after the EU "
    "eGovernment Benchmark. Only service supply resembles what international rankings measure: they score "
    "what a government offers online, not how many people finish. Completion, timeliness and satisfaction "
    "have no international counterpart, so the reference lines are an orientation, not a rank."
)


@dataclass(frozen=True)
class Pillar:
    key: str
    label: str | Promise
    value: float | None  # 0..100
    international_counterpart: bool


@dataclass(frozen=True)
class ServiceSupply:
    service_code: str
    name: str
    items: dict[str, float]  # SUPPLY_ITEMS key -> 0..1
    value: float  # 0..100


@dataclass(frozen=True)
class ReferenceLine:
    key: str
    label: str | Promise
    value: float
    source: str


@dataclass(frozen=True)
class Score:
    total: float | None  # None until every pillar has a value
    pillars: list[Pillar]
    supply: list[ServiceSupply]
    reference_lines: list[ReferenceLine]
    note: str | Promise = PROXY_NOTE


def benchmark_score(filters: Filters, *, figures: Kpis | None = None) -> Score:
    """The score of what the filters select; service supply is over the active services (or the one chosen).
    `figures` are the `kpis` of the filters when the caller has them already."""
    figures = kpis(filters) if figures is None else figures
    services = Service.objects.filter(active=True).select_related("form").order_by("code")
    if filters.service:
        services = services.filter(code=filters.service)
    supply = [service_supply(service) for service in services]
    pillars = [
        _pillar("completion", _percent(figures.completion_rate)),
        _pillar("timeliness", _percent(figures.within_deadline_share)),
        _pillar("satisfaction", _percent(figures.satisfied_share)),
        _pillar("supply", mean(s.value for s in supply) if supply else None, international_counterpart=True),
    ]
    values = [pillar.value for pillar in pillars]
    return Score(
        total=mean(values) if None not in values else None,
        pillars=pillars,
        supply=supply,
        reference_lines=reference_lines(),
    )


def _pillar(key: str, value: float | None, *, international_counterpart: bool = False) -> Pillar:
    return Pillar(key, PILLAR_LABELS[key], value, international_counterpart)


def service_supply(service: Service) -> ServiceSupply:
    """The supply checklist of one service, read from its catalogue entry.

    A service with a form is applied for online: login by IIN with a one-time code (the portal's
    electronic identity), a tracking page for every request and pages that work on a phone come
    with it. It is fully online only if the catalogue lists no step the citizen must still take in
    person (fingerprints, an inspection, a ceremony); such a service, like one without a form
    (information only), counts half for being online.
    """
    schema = service.form.schema if service.form else None
    online = 1.0 if schema else 0.0
    items = {
        "fully_online": 1.0 if schema and not service.in_person_steps else 0.5,
        "eid_login": online,
        "prefilled": 1.0 if schema and any("x-prefill" in f for f in schema["properties"].values()) else 0.0,
        "tracking": online,
        "expected_duration": 1.0 if service.legal_deadline_days and service.service_target else 0.0,
        "mobile_friendly": online,
        "verifiable_document": 1.0 if schema and service.result_document in DocumentKind.values else 0.0,
    }
    return ServiceSupply(service.code, service.name, items, 100 * mean(items.values()))


def reference_lines() -> list[ReferenceLine]:
    """The lines drawn beside the score, with their sources, from the settings."""
    return [ReferenceLine(**line) for line in settings.METRICS_REFERENCE_LINES]


def _percent(share: float | None) -> float | None:
    return None if share is None else 100 * share
