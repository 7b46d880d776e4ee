"""The simulator drives the portal's own workflow: reproducible, faithful to its profile, and leaving
the same kinds of events as a request made through the pages."""

import io
import json
import math
from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from services.catalogue.loading import catalogue_load_file
from services.catalogue.models import Service
from services.feedback.models import SatisfactionAnswer
from services.registries.regions import REGION_CODES
from services.simulator.engine import simulation_run
from services.simulator.profiles import ProfileError, profile_load, profile_names
from services.simulator.results import run_figures
from services.workflow.models import RequestEvent, ServiceRequest
from services.workflow.outbox import outbox_drain
from services.workflow.states import Channel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
START = date(2026, 3, 2)
# A three-page form whose first page the registries fill in (address, phone).
THREE_PAGES = "individual-entrepreneur-registration"


@pytest.fixture(autouse=True)
def catalogue():
    catalogue_load_file()


def _only(service: str, **behaviour) -> dict:
    """Overrides: everyone online and on the web, one service, with this behaviour."""
    return {
        "population": {
            "internet": dict.fromkeys(REGION_CODES, 1.0),
            "age_bands": [{"band": "30-44", "share": 1.0, "internet": 1.0}],
            "counter_share_online": 0,
        },
        "services": {
            **{code: {"weight": 0.0} for code in Service.objects.values_list("code", flat=True)},
            service: {"weight": 1.0, **behaviour},
        },
    }


def _figures(**run) -> dict:
    """The run's figures without its timings, which are the only thing a seed does not fix."""
    figures = run_figures(simulation_run(**run)).as_json()
    del figures["seconds"], figures["cpu_seconds"]
    return figures


def test_the_same_seed_gives_the_same_figures():
    profile = profile_load("today")
    with transaction.atomic():
        first = _figures(profile=profile, citizens=25, days=3, seed=7, start=START)
        transaction.set_rollback(True)
    again = _figures(profile=profile, citizens=25, days=3, seed=7, start=START)
    assert first == again
    assert first["overall"]["started"] > 0
    with transaction.atomic():
        different = _figures(profile=profile, citizens=25, days=3, seed=8, start=START)
        transaction.set_rollback(True)
    assert different != first


def test_the_measured_funnel_follows_the_profile_within_its_tolerance():
    drop, citizens = 0.3, 240
    profile = profile_load(
        "today",
        overrides=_only(
            THREE_PAGES, drop_off_per_page=drop, prefilled_page_factor=1.0, drop_off_check=0.0, resume_share=0.0
        ),
    )
    run = simulation_run(profile=profile, citizens=citizens, days=2, seed=3, start=START)
    figures = run_figures(run)
    steps = dict(figures.funnels[THREE_PAGES])
    started = steps["started"]
    assert started == citizens  # everyone online, on the web, past the start page
    pages = [key for key in steps if key.startswith("page:")]
    assert len(pages) == 3
    for number, page in enumerate(pages, start=1):
        expected = (1 - drop) ** number
        tolerance = 3 * math.sqrt(expected * (1 - expected) / started)  # three standard deviations
        assert abs(steps[page] / started - expected) <= tolerance, (page, steps[page], expected)
    assert steps["submitted"] == steps[pages[-1]]  # nobody leaves on the check page
    assert run.tally["form_refused"] == 0


def test_simulated_requests_carry_the_same_kinds_of_events_as_requests_made_through_the_pages(client):
    code = "criminal-record-certificate"
    service = Service.objects.get(code=code)
    citizen = UserFactory(iin="900101300007")
    client.force_login(citizen)
    client.post(reverse("apply_start", kwargs={"code": code}), {"action": "start"})
    draft = ServiceRequest.objects.get(citizen=citizen)
    page = service.form.schema["x-pages"][0]["id"]
    kwargs = {"code": code, "reference": draft.reference}
    client.post(reverse("apply_page", kwargs={**kwargs, "page": page}), {"purpose": "employment"})
    client.post(reverse("apply_check", kwargs=kwargs), {"declaration": "on"})
    outbox_drain()
    through_pages = set(RequestEvent.objects.filter(request=draft).values_list("action", flat=True))
    assert "issue" in through_pages

    profile = profile_load("today", overrides=_only(code, drop_off_per_page=0.0, drop_off_check=0.0))
    run = simulation_run(profile=profile, citizens=5, days=1, seed=1, start=START)
    simulated = ServiceRequest.objects.filter(pk__in=run.requests)
    # Those decided automatically, as the page-made one was (a record needing a manual look goes to an officer).
    issued = [r for r in simulated if r.state == "issued" and not r.events.filter(action="route_to_review").exists()]
    assert issued, [request.state for request in simulated]
    for request in issued:
        assert set(request.events.values_list("action", flat=True)) == through_pages
        assert request.channel == Channel.WEB


def test_counter_filings_are_made_by_a_clerk_in_the_assisted_channel():
    overrides = _only("no-tax-arrears-certificate")
    overrides["population"]["counter_share_online"] = 1.0
    run = simulation_run(profile=profile_load("today", overrides=overrides), citizens=4, days=1, seed=2, start=START)
    requests = ServiceRequest.objects.filter(pk__in=run.requests)
    assert requests.count() == 4
    assert {request.channel for request in requests} == {Channel.ASSISTED}
    assert all(request.filed_by_id and request.filed_by_id != request.citizen_id for request in requests)


def test_the_top25_profile_changes_only_the_levers_and_every_profile_is_consistent():
    today, top25 = profile_load("today"), profile_load("top25")
    assert set(profile_names()) >= {"today", "top25"}
    assert today.population.age_bands == top25.population.age_bands
    assert today.population.internet == top25.population.internet
    levers = {"drop_off_per_page", "prefilled_page_factor", "drop_off_check", "decision_days", "request_info"}
    levers |= {"approve", "reject"}
    for code, behaviour in today.services.items():
        changed = {name for name, value in vars(behaviour).items() if vars(top25.behaviour(code))[name] != value}
        assert changed <= levers, (code, changed)


def test_one_lever_alone_changes_only_its_own_entries():
    today, prefilled = profile_load("today"), profile_load("top25", lever="prefilled")
    assert prefilled.population == today.population
    for code, behaviour in today.services.items():
        changed = {name for name, value in vars(behaviour).items() if vars(prefilled.behaviour(code))[name] != value}
        assert changed == {"prefilled_page_factor"}, code
    counters = profile_load("top25", lever="counters")
    assert counters.services == today.services
    assert counters.population.counter_reach["atyrau"] > today.population.counter_reach["atyrau"]


def test_a_profile_whose_decision_shares_do_not_add_up_is_refused():
    with pytest.raises(ProfileError):
        profile_load("today", overrides={"services": {"default": {"approve": 0.5}}})


def test_officers_decide_what_reaches_review_and_citizens_rate_the_end():
    behaviour = {"drop_off_per_page": 0.0, "drop_off_check": 0.0, "withdraw_share": 0.0}
    behaviour |= {"approve": 1.0, "request_info": 0.0, "reject": 0.0, "satisfaction_answer_rate": 1.0}
    overrides = _only("identity-document", **behaviour)
    run = simulation_run(profile=profile_load("today", overrides=overrides), citizens=6, days=1, seed=4, start=START)
    requests = ServiceRequest.objects.filter(pk__in=run.requests)
    reviewed = [request for request in requests if request.events.filter(action="route_to_review").exists()]
    assert reviewed
    for request in reviewed:
        request.refresh_from_db()
        approval = request.events.get(action="approve")
        assert approval.actor.agency_id == request.service.agency_id
        assert request.state == "issued"
        assert SatisfactionAnswer.objects.filter(request=request).exists()


def test_the_command_shows_the_tables_and_the_score_and_writes_the_figures(tmp_path):
    out, figures = io.StringIO(), tmp_path / "figures.json"
    call_command("simulate", citizens=8, days=2, seed=5, profile="today", json_path=figures, stdout=out)
    printed = out.getvalue()
    assert "Services" in printed and "Regions" in printed and "Age bands" in printed
    assert "Benchmark score (proxy)" in printed
    written = json.loads(figures.read_text())
    assert written["profile"] == "today" and written["citizens"] == 8
    assert sum(written["tally"][channel] for channel in ("web", "counter", "offline_not_served")) == 8


def test_the_command_reports_in_the_language_it_is_asked_for():
    out = io.StringIO()
    call_command("simulate", citizens=4, days=1, seed=5, profile="today", language="ru", stdout=out)
    printed = out.getvalue()
    assert "Услуги" in printed and "Регионы" in printed and "Возрастные группы" in printed
    assert "завершаемость" in printed and "Граждане:" in printed and "ориентиры" in printed
    assert "Services" not in printed and "completion" not in printed


def test_every_forms_simulated_answers_are_accepted():
    refused = {}
    for code in Service.objects.filter(active=True, form__isnull=False).values_list("code", flat=True):
        behaviour = {"drop_off_per_page": 0.0, "drop_off_check": 0.0, "resume_share": 0.0}
        with transaction.atomic():
            run = simulation_run(
                profile=profile_load("today", overrides=_only(code, **behaviour)),
                citizens=4,
                days=1,
                seed=5,
                start=START,
            )
            transaction.set_rollback(True)
        refused[code] = run.tally["form_refused"]
    assert {code: n for code, n in refused.items() if n} == {}
