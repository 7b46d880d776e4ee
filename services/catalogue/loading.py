"""Loading the catalogue from its versioned data file. Idempotent: a second run changes nothing.

An edited form becomes a new `FormVersion`; drafts started on an older version keep it.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Model

from services.catalogue.forms import form_schema_problems
from services.catalogue.models import Agency, FormVersion, LifeEvent, Service

DEFAULT_CATALOGUE = Path(__file__).parent / "data" / "catalogue.json"
SUPPORTED_FORMAT = 1


class CatalogueError(ValueError):
    """The data file cannot be loaded; nothing was written."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    new_form_versions: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.new_form_versions)


def schema_digest(schema: dict[str, Any]) -> str:
    """SHA-256 of the schema in canonical form (sorted keys, no spaces)."""
    canonical = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def catalogue_load_file(path: Path = DEFAULT_CATALOGUE) -> LoadReport:
    """Load the catalogue data file at `path`."""
    return catalogue_load(json.loads(Path(path).read_text(encoding="utf-8")))


@transaction.atomic
def catalogue_load(data: dict[str, Any]) -> LoadReport:
    """Create or update agencies, life events and services from parsed catalogue data."""
    _check(data)
    report = LoadReport()
    agencies = {
        item["code"]: _upsert(Agency, item["code"], _names(item["name"]), report, "agency") for item in data["agencies"]
    }
    events = {
        item["code"]: _upsert(LifeEvent, item["code"], _names(item["name"]), report, "life event")
        for item in data["life_events"]
    }
    for item in data["services"]:
        service = _upsert(Service, item["code"], _service_fields(item, agencies), report, "service")
        wanted_events = {events[code].pk for code in item["life_events"]}
        if set(service.life_events.values_list("pk", flat=True)) != wanted_events:
            service.life_events.set(wanted_events)
            _note(report, f"service {service.code}")
        if service.search_refresh():
            _note(report, f"service {service.code}")
        _sync_form(service, item["form"], report)
    return report


def _check(data: dict[str, Any]) -> None:
    if data.get("format") != SUPPORTED_FORMAT:
        raise CatalogueError(f"unsupported catalogue format {data.get('format')!r}")
    agency_codes = {a["code"] for a in data["agencies"]}
    event_codes = {e["code"] for e in data["life_events"]}
    problems = []
    for item in data["services"]:
        code = item["code"]
        if item["agency"] not in agency_codes:
            problems.append(f"{code}: unknown agency {item['agency']!r}")
        problems += [f"{code}: unknown life event {e!r}" for e in item["life_events"] if e not in event_codes]
        problems += [f"{code}: form: {p}" for p in form_schema_problems(item["form"])]
        problems += [f"{code}: {p}" for p in _check_declaration_problems(item)]
    if problems:
        raise CatalogueError("; ".join(problems))


def _check_declaration_problems(item: dict[str, Any]) -> list[str]:
    from services.processing.checks import CHECKS  # the processing layer owns the checks' code

    grounds = {ground["code"] for ground in item["refusal_grounds"]}
    problems = []
    for declaration in item.get("checks", []):
        if declaration.get("check") not in CHECKS:
            problems.append(f"unknown check {declaration.get('check')!r}")
        ground = declaration.get("refusal_ground")
        if ground is not None and ground not in grounds:
            problems.append(f"check {declaration.get('check')!r}: unknown refusal ground {ground!r}")
    return problems


def _names(text: dict[str, str], prefix: str = "name") -> dict[str, str]:
    return {f"{prefix}_{lang}": text[lang] for lang in ("kk", "ru", "en")}


def _service_fields(item: dict[str, Any], agencies: dict[str, Agency]) -> dict[str, Any]:
    return {
        **_names(item["name"]),
        **_names(item["description"], "description"),
        "agency": agencies[item["agency"]],
        "fee_kzt": item["fee_kzt"],
        "legal_deadline_days": item["legal_deadline_days"],
        "service_target": timedelta(minutes=item["service_target_minutes"]),
        "decision_mode": item["decision_mode"],
        "result_document": item["result_document"],
        "required_documents": item["required_documents"],
        "refusal_grounds": item["refusal_grounds"],
        "in_person_steps": item.get("in_person_steps", []),
        "checks": item.get("checks", []),
        "active": item["active"],
    }


def _upsert(model: type[Model], code: str, fields: dict[str, Any], report: LoadReport, kind: str) -> Model:
    obj = model.objects.filter(code=code).first()
    if obj is None:
        obj = model.objects.create(code=code, **fields)
        report.created.append(f"{kind} {code}")
        return obj
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, fields[name])
        obj.save(update_fields=changed)
        _note(report, f"{kind} {code}")
    return obj


def _sync_form(service: Service, schema: dict[str, Any], report: LoadReport) -> None:
    digest = schema_digest(schema)
    if service.form is not None and service.form.digest == digest:
        return
    latest = service.form_versions.order_by("-version").values_list("version", flat=True).first() or 0
    service.form = FormVersion.objects.create(service=service, version=latest + 1, schema=schema, digest=digest)
    service.save(update_fields=["form"])
    report.new_form_versions.append(f"{service.code} v{latest + 1}")


def _note(report: LoadReport, entry: str) -> None:
    if entry not in report.updated and entry not in report.created:
        report.updated.append(entry)
