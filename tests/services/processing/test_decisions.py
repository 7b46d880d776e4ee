"""From submit to decision, with the registries' demo people whose outcomes are known."""

import pytest
from django.utils import timezone

from services.catalogue.loading import catalogue_load_file
from services.catalogue.models import Service
from services.processing import decisions
from services.processing.checks import checks_run
from services.processing.consent import ConsentError, consent_answer
from services.processing.models import CheckOutcome, CheckResult, ConsentRequest
from services.registries import demo
from services.registries.prefill import prefill_for
from services.workflow.models import RequestEvent, SideEffect
from services.workflow.outbox import outbox_drain
from services.workflow.service import draft_start, request_submit
from services.workflow.states import Action, Channel, State
from services.workflow.transitions import transition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue():
    catalogue_load_file()


def _submit(iin, service_code, answers, language="ru"):
    citizen = UserFactory(iin=iin, preferred_language=language)
    draft = draft_start(citizen=citizen, service=Service.objects.get(code=service_code))
    draft.form_data = answers
    draft.save(update_fields=["form_data"])
    request = request_submit(request=draft, user=citizen)
    outbox_drain()
    request.refresh_from_db()
    return request


def _actions(request):
    return list(RequestEvent.objects.filter(request=request).values_list("action", flat=True))


def test_a_clean_criminal_record_certificate_is_issued_in_seconds():
    request = _submit(demo.CITIZEN, "criminal-record-certificate", {"purpose": "employment"})
    assert request.state == State.ISSUED
    assert _actions(request) == ["started", "submit", "start_checks", "approve", "issue"]
    assert request.result_document.kind == "certificate"
    assert CheckResult.objects.get(request=request).outcome == CheckOutcome.PASSED
    assert not SideEffect.objects.filter(request=request).exclude(status=SideEffect.Status.DONE).exists()


@pytest.mark.parametrize(
    "iin, finding", [(demo.CONVICTED, "record_found"), (demo.NEEDS_MANUAL_CHECK, "manual_check_flag")]
)
def test_a_record_or_a_flag_sends_the_certificate_to_an_officer(iin, finding):
    request = _submit(iin, "criminal-record-certificate", {"purpose": "employment"})
    assert request.state == State.IN_REVIEW
    result = CheckResult.objects.get(request=request)
    assert (result.outcome, result.finding) == (CheckOutcome.UNDECIDED, finding)


def test_an_automatic_service_refuses_with_the_catalogues_ground_in_the_citizens_language():
    service = Service.objects.get(code="individual-entrepreneur-registration")
    answers = _ip_answers(demo.ENTREPRENEUR_WITH_ARREARS)
    request = _submit(demo.ENTREPRENEUR_WITH_ARREARS, service.code, answers, language="kk")
    assert request.state == State.REJECTED
    ground = next(g for g in service.refusal_grounds if g["code"] == "already-registered")
    assert request.decision_reason == ground["text"]["kk"]
    assert request.result_document.kind == "refusal_letter"
    assert RequestEvent.objects.get(request=request, action="reject").payload["refusal_ground"] == "already-registered"


def test_an_officer_service_goes_to_the_agency_queue_with_its_check_results():
    request = _submit(demo.CITIZEN, "large-family-allowance", _large_family_answers())
    assert request.state == State.IN_REVIEW
    assert CheckResult.objects.get(request=request).finding == "too_few_children"


def test_residence_registration_waits_for_the_owners_consent_then_registers():
    request = _submit(demo.CITIZEN, "residence-registration", _residence_answers())
    assert request.state == State.AWAITING_CONSENT
    consent = ConsentRequest.objects.get(request=request)
    assert consent.owner_iin == demo.HOME_OWNER
    event = RequestEvent.objects.get(request=request, action="await_consent")
    assert event.payload["owner_phone"] == consent.owner_phone
    wrong = "000000" if consent.code != "000000" else "111111"
    with pytest.raises(ConsentError):
        consent_answer(request=request, owner_iin=demo.HOME_OWNER, code=wrong, given=True)
    consent.refresh_from_db()
    assert consent.wrong_codes == 1
    consent_answer(request=request, owner_iin=demo.HOME_OWNER, code=consent.code, given=True)
    outbox_drain()
    request.refresh_from_db()
    assert request.state == State.ISSUED
    assert _actions(request) == [
        "started",
        "submit",
        "start_checks",
        "await_consent",
        "consent_answered",
        "approve",
        "issue",
    ]


def test_a_refused_consent_refuses_the_registration():
    request = _submit(demo.CITIZEN, "residence-registration", _residence_answers())
    consent = ConsentRequest.objects.get(request=request)
    consent_answer(request=request, owner_iin=demo.HOME_OWNER, code=consent.code, given=False)
    outbox_drain()
    request.refresh_from_db()
    assert request.state == State.REJECTED
    assert CheckResult.objects.get(request=request, check_code="owner_consent").finding == "consent_refused"


def test_a_request_withdrawn_before_processing_is_left_alone():
    citizen = UserFactory(iin=demo.CITIZEN)
    draft = draft_start(citizen=citizen, service=Service.objects.get(code="criminal-record-certificate"))
    draft.form_data = {"purpose": "employment"}
    draft.save(update_fields=["form_data"])
    request = request_submit(request=draft, user=citizen)
    transition(request=request, action=Action.WITHDRAW, user=citizen, channel=Channel.WEB)
    outbox_drain()
    request.refresh_from_db()
    assert request.state == State.WITHDRAWN
    assert not CheckResult.objects.filter(request=request).exists()


def test_processing_that_always_crashes_ends_the_request_in_failed(monkeypatch, settings):
    settings.SIDE_EFFECT_MAX_ATTEMPTS = 3

    def broken(request):
        raise RuntimeError("registry unreachable")

    monkeypatch.setattr(decisions, "checks_run", broken)
    request = _submit(demo.CITIZEN, "criminal-record-certificate", {"purpose": "employment"})
    assert request.state == State.FAILED
    effect = SideEffect.objects.get(request=request, kind="process")
    assert effect.status == SideEffect.Status.FAILED
    assert "registry unreachable" in RequestEvent.objects.get(request=request, action="fail").payload["reason"]


def _with_prefill(iin, code, **answers):
    """The pre-filled answers (as the pages would show them) plus the ones the citizen types."""
    service = Service.objects.get(code=code)
    return {**prefill_for(citizen=UserFactory.build(iin=iin), form=service.form), **answers}


def _ip_answers(iin):
    return _with_prefill(iin, "individual-entrepreneur-registration", activity_code="47190", tax_regime="general")


def _residence_answers():
    return _with_prefill(
        demo.CITIZEN,
        "residence-registration",
        address="г. Алматы, ул. Жибек жолы, д. 50, кв. 12",
        registration_type="permanent",
        owner_iin=demo.HOME_OWNER,
    )


def _large_family_answers():
    return _with_prefill(demo.CITIZEN, "large-family-allowance", children_count=4, iban="KZ86125KZT5004100100")


def test_registration_at_an_address_the_named_owner_does_not_own_is_refused_without_asking_anyone():
    answers = {**_residence_answers(), "owner_iin": demo.OWNS_NOTHING}
    request = _submit(demo.CITIZEN, "residence-registration", answers)
    assert request.state == State.REJECTED
    assert not ConsentRequest.objects.filter(request=request).exists()
    assert list(CheckResult.objects.filter(request=request).values_list("check_code", "outcome")) == [
        ("owner_owns_address", CheckOutcome.FAILED)
    ]


@pytest.mark.parametrize(
    "iin, state", [(demo.ENTREPRENEUR_WITH_ARREARS, State.REJECTED), (demo.ENTREPRENEUR_WITHOUT_ARREARS, State.ISSUED)]
)
def test_the_no_tax_arrears_certificate_follows_the_business_register(iin, state):
    answers = _with_prefill(
        iin, "no-tax-arrears-certificate", taxpayer_status="entrepreneur", certificate_language="kazakh"
    )
    assert _submit(iin, "no-tax-arrears-certificate", answers).state == state


def test_of_two_benefit_requests_for_one_child_the_first_filed_is_decided_and_the_second_refused():
    mother = UserFactory(iin=demo.LARGE_FAMILY_MOTHER, preferred_language="en")
    answers = {"child_iin": demo.NEWBORN, "iban": "KZ123456789012345678", "phone": "+77011234567"}

    def submitted():
        draft = draft_start(citizen=mother, service=Service.objects.get(code="childbirth-benefit"))
        draft.form_data = answers
        draft.save(update_fields=["form_data"])
        return request_submit(request=draft, user=mother)

    first, second = submitted(), submitted()  # a second filing minutes later, both processed together
    outbox_drain()
    first.refresh_from_db()
    second.refresh_from_db()
    assert CheckResult.objects.get(request=first, check_code="no_earlier_request").outcome == CheckOutcome.PASSED
    assert first.state != State.REJECTED
    refused = CheckResult.objects.get(request=second, check_code="no_earlier_request")
    assert (refused.outcome, refused.data) == (CheckOutcome.FAILED, {"reference": first.reference})
    assert second.state == State.REJECTED


def test_checks_not_run_again_after_a_failure_leave_no_stale_result():
    citizen = UserFactory(iin=demo.OWNS_NOTHING)
    service = Service.objects.get(code="criminal-record-certificate")
    service.checks = [{"check": "owns_property", "refusal_ground": "no-rights"}, {"check": "no_criminal_record"}]
    request = draft_start(citizen=citizen, service=service)
    CheckResult.objects.create(  # from an earlier run, before the first check's answer changed
        request=request,
        check_code="no_criminal_record",
        outcome=CheckOutcome.PASSED,
        finding="clean",
        checked_at=timezone.now(),
    )
    results = checks_run(request)
    assert [(r.check_code, r.outcome) for r in results] == [("owns_property", CheckOutcome.FAILED)]
    assert list(CheckResult.objects.filter(request=request).values_list("check_code", flat=True)) == ["owns_property"]
