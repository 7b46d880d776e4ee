"""Automated checks against the state registries, declared per service in the catalogue.

A service's `checks` list names checks from `CHECKS` with their parameters, e.g.
`{"check": "not_registered_entrepreneur", "refusal_ground": "already-registered"}`. Each check
looks at the request and the registries and returns an outcome: passed, failed (with the ground
for refusal the catalogue names), undecided (an officer must look), or waiting (for a third party).
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from services.processing.models import CheckOutcome, CheckResult, ConsentDecision, ConsentRequest
from services.registries import business, criminal, population, realty, vehicles
from services.registries.population import Person, age_on
from services.workflow.models import ServiceRequest
from services.workflow.states import OPEN, State


@dataclass(frozen=True)
class Finding:
    outcome: CheckOutcome
    finding: str
    data: dict[str, Any] = field(default_factory=dict)


Check = Callable[[ServiceRequest, Person, dict[str, Any]], Finding]
CHECKS: dict[str, Check] = {}


def check(code: str) -> Callable[[Check], Check]:
    """Register a check under the code the catalogue uses."""

    def register(function: Check) -> Check:
        CHECKS[code] = function
        return function

    return register


def checks_run(request: ServiceRequest) -> list[CheckResult]:
    """Run the service's declared checks in order, storing each result, up to the first that fails
    (a later check may ask a third party for something, which is pointless once the answer is no)."""
    applicant = population.person(request.citizen.iin)
    results = []
    for declaration in request.service.checks:
        params = {k: v for k, v in declaration.items() if k not in ("check", "refusal_ground")}
        if applicant is None:
            found = Finding(CheckOutcome.UNDECIDED, "applicant_not_in_register")
        else:
            found = CHECKS[declaration["check"]](request, applicant, params)
        ground = declaration.get("refusal_ground", "") if found.outcome == CheckOutcome.FAILED else ""
        result = CheckResult(
            request=request,
            check_code=declaration["check"],
            outcome=found.outcome,
            finding=found.finding,
            data=found.data,
            refusal_ground=ground,
            checked_at=timezone.now(),
        )
        _store(result)
        results.append(result)
        if found.outcome == CheckOutcome.FAILED:
            break
    if len(results) < len(request.service.checks):  # an earlier run's results of the later checks no longer hold
        CheckResult.objects.filter(request=request).exclude(check_code__in=[r.check_code for r in results]).delete()
    return results


def _store(result: CheckResult) -> None:
    """Insert the result, or replace the earlier one of the same check (checks run again after a
    consent), in one statement."""
    CheckResult.objects.bulk_create(
        [result],
        update_conflicts=True,
        unique_fields=["request", "check_code"],
        update_fields=["outcome", "finding", "data", "refusal_ground", "checked_at"],
    )


def _passed(finding: str = "ok", **data: Any) -> Finding:
    return Finding(CheckOutcome.PASSED, finding, data)


def _failed(finding: str, **data: Any) -> Finding:
    return Finding(CheckOutcome.FAILED, finding, data)


def _undecided(finding: str, **data: Any) -> Finding:
    return Finding(CheckOutcome.UNDECIDED, finding, data)


@check("applicant_registered")
def applicant_registered(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """The applicant is in the population register with an address."""
    return _passed("registered", region=applicant.address.region)


@check("no_criminal_record")
def no_criminal_record(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """No record: the certificate is issued at once. A record or a flag goes to an officer."""
    record = criminal.criminal_record(applicant.iin)
    if record is None:
        return _passed("no_record")
    if record.needs_manual_check:
        return _undecided("manual_check_flag")
    return _undecided("record_found", article=record.article, year=record.recorded_on.year)


@check("owner_owns_address")
def owner_owns_address(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """The owner named in the form owns a property at the address in the form."""
    owner_iin = request.form_data.get(params.get("owner_field", "owner_iin"), "")
    address = request.form_data.get(params.get("address_field", "address"), "")
    found = realty.property_owned_at(owner_iin, address)
    if found is None:
        return _failed("owner_has_no_property_there", owner_iin=owner_iin)
    return _passed("owner_found", cadastral_number=found.cadastral_number)


@check("owner_consent")
def owner_consent(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """The owner consents by SMS within the time limit; an applicant registering at home needs no consent."""
    owner_iin = request.form_data.get(params.get("owner_field", "owner_iin"), "")
    if owner_iin == applicant.iin:
        return _passed("applicant_is_owner")
    owner = population.person(owner_iin)
    if owner is None or not owner.phone:
        return _undecided("owner_cannot_be_reached", owner_iin=owner_iin)
    consent = ConsentRequest.objects.filter(request=request).first()
    if consent is None:
        consent = ConsentRequest.objects.create(
            request=request,
            owner_iin=owner_iin,
            owner_phone=owner.phone,
            code=f"{secrets.randbelow(1_000_000):06d}",
            expires_at=timezone.now() + timedelta(minutes=settings.CONSENT_TIMEOUT_MINUTES),
        )
    if consent.decision == ConsentDecision.GIVEN:
        return _passed("consent_given")
    if consent.decision == ConsentDecision.REFUSED:
        return _failed("consent_refused")
    return Finding(CheckOutcome.WAITING, "consent_requested", {"owner_iin": owner_iin})


@check("no_tax_arrears")
def no_tax_arrears(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """The applicant owes no tax (people who are not entrepreneurs owe none in this register)."""
    registered = business.entrepreneur(applicant.iin)
    if registered is not None and registered.tax_arrears_kzt > 0:
        return _failed("tax_arrears", amount_kzt=registered.tax_arrears_kzt)
    return _passed("no_arrears")


@check("child_of_applicant")
def child_of_applicant(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """The child named in the form is the applicant's child in the population register."""
    child_iin = request.form_data.get(params.get("field", "child_iin"), "")
    if child_iin in applicant.children_iins:
        return _passed("child_found")
    return _failed("not_a_child_of_applicant", child_iin=child_iin)


@check("child_not_registered")
def child_not_registered(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """No child of the applicant is already registered with the birth date given."""
    birth_date = request.form_data.get(params.get("field", "child_birth_date"), "")
    for child_iin in applicant.children_iins:
        child = population.person(child_iin)
        if child is not None and child.birth_date.isoformat() == birth_date:
            return _failed("child_already_registered", child_iin=child_iin)
    return _passed("no_registered_child")


@check("children_at_least")
def children_at_least(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """The register shows at least `minimum` children of the applicant."""
    count = len(applicant.children_iins)
    if count >= params["minimum"]:
        return _passed("enough_children", count=count)
    return _failed("too_few_children", count=count, minimum=params["minimum"])


@check("age_between")
def age_between(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """The applicant's age (from the IIN) is within [minimum, maximum]."""
    age = age_on(applicant, timezone.localdate())
    if params.get("minimum", 0) <= age <= params.get("maximum", 200):
        return _passed("age_in_range", age=age)
    return _failed("age_out_of_range", age=age)


@check("child_age_below")
def child_age_below(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """The child named in the form is younger than `maximum` years."""
    child = population.person(request.form_data.get(params.get("field", "child_iin"), ""))
    if child is None:
        return _undecided("child_not_in_register")
    age = age_on(child, timezone.localdate())
    return _passed("child_age_ok", age=age) if age < params["maximum"] else _failed("child_too_old", age=age)


@check("not_registered_entrepreneur")
def not_registered_entrepreneur(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """The applicant is not already an individual entrepreneur."""
    registered = business.entrepreneur(applicant.iin)
    if registered is None:
        return _passed("not_registered")
    return _failed("already_entrepreneur", since=registered.registered_on.isoformat())


@check("not_married")
def not_married(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """Neither the applicant nor the partner named in the form is married."""
    partner = population.person(request.form_data.get(params.get("field", "partner_iin"), ""))
    if partner is None:
        return _undecided("partner_not_in_register")
    if applicant.spouse_iin or partner.spouse_iin:
        return _failed("already_married")
    return _passed("both_unmarried")


@check("vehicle_not_wanted")
def vehicle_not_wanted(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """The vehicle is in the register and not reported stolen."""
    vehicle = vehicles.vehicle(request.form_data.get(params.get("field", "vin"), ""))
    if vehicle is None:
        return _undecided("vehicle_not_found")
    if vehicle.stolen or vehicle.encumbered:
        return _failed("vehicle_wanted_or_encumbered")
    return _passed("vehicle_clear", make=vehicle.make, year=vehicle.year)


@check("owns_property")
def owns_property(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """The applicant holds a registered right to at least one property."""
    properties = realty.properties_of(applicant.iin)
    if properties:
        return _passed("rights_found", count=len(properties))
    return _failed("no_rights")


@check("no_earlier_request")
def no_earlier_request(request: ServiceRequest, applicant: Person, params: dict[str, Any]) -> Finding:
    """No request of this service for the same value of `field` (e.g. the child) was granted, or
    submitted before this one and is still open: the first request filed is the one decided."""
    value = request.form_data.get(params["field"])
    others = ServiceRequest.objects.filter(service=request.service, **{f"form_data__{params['field']}": value})
    earlier = Q(submitted_at__lt=request.submitted_at) | Q(submitted_at=request.submitted_at, pk__lt=request.pk)
    blocking = others.exclude(pk=request.pk).filter(
        Q(state__in=[State.APPROVED, State.ISSUED]) | (Q(state__in=OPEN) & earlier)
    )
    if blocking.exists():
        return _failed("earlier_request", reference=blocking.values_list("reference", flat=True).first())
    return _passed("first_request")
