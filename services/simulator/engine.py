"""The simulation: synthetic citizens and officers driven through the portal's own domain functions
on a simulated clock.

Each citizen's journey is a generator that does one step (a page saved, a submission, an officer's
decision, an answer) through the same functions the pages and the API call, then yields how long
until its next step; the engine moves the clock (time-machine) to the earliest step due. Side effects
run in this process by the worker's own code: dispatched with Celery running tasks eagerly, and the
outbox drained after every step (inside a test's transaction nothing is dispatched, so the drain does
it). Every simulated night the periodic sweeps run: drafts abandoned, requests expired, deadlines.
"""

import heapq
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import perf_counter, process_time

import time_machine
from celery import current_app
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from services.accounts.iin import make_iin
from services.accounts.models import StaffRole, User
from services.backoffice.assisted import assisted_draft_start
from services.catalogue.forms import form_pages, page_fields
from services.catalogue.models import Agency, Service
from services.feedback.service import ASKED_AT, satisfaction_record
from services.notifications.sms import LocmemSmsBackend
from services.processing.sweeps import deadlines_watch, drafts_abandon, requests_expire
from services.registries.prefill import prefill_for
from services.simulator.answers import page_answers
from services.simulator.citizens import Citizen, citizen_draw, citizen_sign_up
from services.simulator.profiles import Behaviour, Profile
from services.workflow.models import ServiceRequest
from services.workflow.officer import request_approve, request_claim, request_info, request_reject
from services.workflow.outbox import outbox_drain
from services.workflow.service import (
    draft_complete,
    draft_resume,
    draft_save_step,
    draft_start,
    request_respond,
    request_submit,
    request_withdraw,
)
from services.workflow.states import Channel, State
from services.workflow.transitions import FormInvalid, TransitionNotAllowed
from services.working_days import add_working_days

Journey = Iterator[timedelta]
OFFICERS_PER_AGENCY = 2
# The sweeps' night-time run, local time.
SWEEP_AT = time(2, 0)
# What the simulator's citizens did, besides what the metrics measure: people who file nothing
# (offline, no counter), answers the form refused (a fault of the simulator's answers, to be seen).
OUTCOMES = ("citizens", "offline_not_served", "web", "counter", "form_refused")


@dataclass
class Run:
    """One simulation's set-up and what it did."""

    profile: Profile
    citizens: int
    days: int
    seed: int
    start: date
    tally: Counter[str] = field(default_factory=lambda: Counter(dict.fromkeys(OUTCOMES, 0)))
    by_service: Counter[str] = field(default_factory=Counter)
    requests: list[int] = field(default_factory=list)  # the requests submitted
    seconds: float = 0.0  # wall time of the simulation itself
    cpu_seconds: float = 0.0  # this process's CPU time meanwhile (the database's too on SQLite)

    @property
    def arrivals_end(self) -> date:
        """The last day citizens start requests on (the cohort the figures are about)."""
        return self.start + timedelta(days=self.days - 1)

    @property
    def end(self) -> date:
        """The last simulated day: arrivals, then time for the last requests to be decided or to lapse."""
        return self.arrivals_end + settle_time()


def settle_time() -> timedelta:
    """Long enough for a draft to be abandoned and an unanswered request for information to expire."""
    return timedelta(days=max(settings.DRAFT_TTL.days, settings.INFO_RESPONSE_TTL.days) + 2)


def simulation_run(
    *,
    profile: Profile,
    citizens: int,
    days: int,
    seed: int,
    start: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> Run:
    """Simulate `citizens` people arriving over `days` days from `start` (so that the run ends today by default).

    `progress` is called with the number of citizens whose first step has been done.
    """
    start = start or timezone.localdate() - timedelta(days=days) - settle_time()
    run = Run(profile=profile, citizens=citizens, days=days, seed=seed, start=start)
    began, began_cpu = perf_counter(), process_time()
    rng = random.Random(seed)  # noqa: S311 - a simulation, not a secret
    with _simulated_edges(), _clock(_local(start, time(0, 0))) as clock:
        services = {service.code: service for service in Service.objects.filter(active=True).select_related("agency")}
        staff = _staff(services.values())
        chosen = _services_by_weight(profile, services)
        queue: list[tuple[datetime, int, Journey]] = []
        for number in range(citizens):
            arrival = _local(start + timedelta(days=rng.randrange(days)), time(8, 0)) + timedelta(
                minutes=rng.randrange(14 * 60)
            )
            own = random.Random(f"{seed}:{number}")  # noqa: S311 - each citizen's own draws, whatever the others do
            journey = _citizen_journey(run, own, arrival, chosen, staff)
            heapq.heappush(queue, (arrival, number, journey))
        _drive(run, queue, clock, progress)
    run.seconds, run.cpu_seconds = perf_counter() - began, process_time() - began_cpu
    return run


def _drive(run: Run, queue: list, clock: "time_machine.Coordinates", progress: Callable[[int], None] | None) -> None:
    """Run every journey's steps in time order, with the nightly sweeps in between."""
    sweep = _local(run.start + timedelta(days=1), SWEEP_AT)
    finish = _local(run.end + timedelta(days=1), time(0, 0))
    first_steps = 0
    while queue or sweep < finish:
        if not queue or queue[0][0] >= sweep:
            if sweep >= finish:
                break
            clock.move_to(sweep)
            _sweeps()
            sweep += timedelta(days=1)
            continue
        moment, number, journey = heapq.heappop(queue)
        clock.move_to(moment)
        if number >= 0:
            first_steps += 1
            if progress:
                progress(first_steps)
        try:
            wait = next(journey)
        except StopIteration:
            continue
        finally:
            outbox_drain()
        heapq.heappush(queue, (moment + wait, -1 - number if number >= 0 else number, journey))


def _sweeps() -> None:
    drafts_abandon()
    requests_expire()
    deadlines_watch()
    outbox_drain()
    LocmemSmsBackend.reset()


def _citizen_journey(
    run: Run, rng: random.Random, arrival: datetime, services: list[Service], staff: dict[int, list[User]]
) -> Journey:
    citizen = citizen_draw(rng, population_profile=run.profile.population, today=arrival.date())
    run.tally["citizens"] += 1
    if citizen is None:
        run.tally["offline_not_served"] += 1
        return
    service = rng.choices(services, weights=[run.profile.behaviour(s.code).weight for s in services])[0]
    behaviour = run.profile.behaviour(service.code)
    run.by_service[service.code] += 1
    if citizen.at_counter:
        run.tally["counter"] += 1
        request = yield from _counter_filing(run, rng, citizen, service, staff)
    else:
        run.tally["web"] += 1
        request = yield from _web_filing(run, rng, citizen, service, behaviour)
    if request is None:
        return
    run.requests.append(request.pk)
    request = yield from _until_decided(rng, request, behaviour, staff[service.agency_id])
    if request.state in ASKED_AT and rng.random() < behaviour.satisfaction_answer_rate:
        shares = behaviour.satisfaction_issued if request.state == State.ISSUED else behaviour.satisfaction_other
        rating = rng.choices(range(1, 6), weights=shares)[0]
        channel = Channel.ASSISTED if citizen.at_counter else Channel.WEB
        satisfaction_record(request=request, user=request.citizen, rating=rating, channel=channel)


def _web_filing(
    run: Run, rng: random.Random, citizen: Citizen, service: Service, behaviour: Behaviour
) -> Iterator[timedelta]:
    """Sign up, start, fill in the pages (perhaps leaving, perhaps coming back), check and submit."""
    user = citizen_sign_up(citizen)
    draft = draft_start(citizen=user, service=service)
    schema = draft.form_version.schema
    prefilled = prefill_for(citizen=user, form=draft.form_version)
    for page in form_pages(schema):
        yield timedelta(seconds=rng.randint(30, 240))
        fields = page_fields(schema, page)
        all_prefilled = all(name in prefilled for name in fields)
        chance = behaviour.drop_off_per_page * (behaviour.prefilled_page_factor if all_prefilled else 1)
        if rng.random() < chance:
            draft = yield from _maybe_back(rng, draft, user, behaviour)
            if draft is None:
                return None
        answers = page_answers(rng, draft=draft, user=user, person=citizen.person, page=page, prefilled=prefilled)
        try:
            draft = draft_save_step(request=draft, user=user, page=page, answers=answers)
        except FormInvalid:
            run.tally["form_refused"] += 1
            return None
    yield timedelta(seconds=rng.randint(30, 180))
    if rng.random() < behaviour.drop_off_check:
        draft = yield from _maybe_back(rng, draft, user, behaviour)
        if draft is None:
            return None
    try:
        return request_submit(request=draft, user=user)
    except FormInvalid:
        run.tally["form_refused"] += 1
        return None


def _maybe_back(rng: random.Random, draft: ServiceRequest, user: User, behaviour: Behaviour) -> Iterator[timedelta]:
    """The citizen leaves; some come back later (the draft may have been abandoned meanwhile)."""
    if rng.random() >= behaviour.resume_share:
        return None
    yield timedelta(days=rng.randint(*behaviour.resume_days), minutes=rng.randrange(600))
    try:
        return draft_resume(request=draft, user=user)
    except TransitionNotAllowed:
        return None


def _counter_filing(
    run: Run, rng: random.Random, citizen: Citizen, service: Service, staff: dict[int, list[User]]
) -> Iterator[timedelta]:
    """A clerk at a Public Service Centre files the whole form for the citizen, who is there in person."""
    clerk = staff[service.agency_id][0]
    draft = assisted_draft_start(clerk=clerk, iin=citizen.person.iin, service=service)
    prefilled = prefill_for(citizen=draft.citizen, form=draft.form_version)
    answers: dict = {}
    for page in form_pages(draft.form_version.schema):
        answers |= page_answers(
            rng, draft=draft, user=draft.citizen, person=citizen.person, page=page, prefilled=prefilled
        )
    yield timedelta(minutes=rng.randint(5, 20))
    try:
        return draft_complete(request=draft, user=clerk, answers=answers, channel=Channel.ASSISTED)
    except FormInvalid:
        run.tally["form_refused"] += 1
        return None


def _until_decided(
    rng: random.Random, request: ServiceRequest, behaviour: Behaviour, officers: list[User]
) -> Iterator[timedelta]:
    """After the processing: an officer decides what reaches review, the citizen answers (or not) and may withdraw."""
    officer = officers[1 + rng.randrange(len(officers) - 1)]
    asked = False
    while True:
        outbox_drain()  # the processing of what the last step did (dispatched already outside a test's transaction)
        request.refresh_from_db()
        if request.state != State.IN_REVIEW:
            return request
        yield _working_days_later(rng, behaviour.decision_days)
        request.refresh_from_db()
        if request.state != State.IN_REVIEW:
            return request
        if rng.random() < behaviour.withdraw_share:
            return request_withdraw(request=request, user=request.citizen)
        request = _officer_decides(rng, request, behaviour, officer, asked=asked)
        if request.state == State.INFO_REQUESTED:
            asked = True
            if rng.random() >= behaviour.response_rate:
                yield settings.INFO_RESPONSE_TTL + timedelta(days=1)  # the sweep expires it meanwhile
                request.refresh_from_db()
                return request
            yield timedelta(days=rng.randint(*behaviour.response_days), minutes=rng.randrange(600))
            request = request_respond(request=request, user=request.citizen, message="Документ прилагаю.")


def _officer_decides(
    rng: random.Random, request: ServiceRequest, behaviour: Behaviour, officer: User, *, asked: bool
) -> ServiceRequest:
    """Claim, then approve, ask for information (once) or refuse, in the profile's shares."""
    if request.assignee_id != officer.pk:
        request = request_claim(request=request, user=officer, channel=Channel.WEB)
    options = ["approve", "reject"] + ([] if asked else ["request_info"])
    choice = rng.choices(options, weights=[getattr(behaviour, option) for option in options])[0]
    if choice == "approve":
        return request_approve(request=request, user=officer, channel=Channel.WEB)
    if choice == "request_info":
        message = "Приложите, пожалуйста, недостающий документ."
        return request_info(request=request, user=officer, message=message, channel=Channel.WEB)
    ground = request.service.refusal_grounds[0]["code"]
    return request_reject(
        request=request, user=officer, ground=ground, text="Сведения не подтверждены.", channel=Channel.WEB
    )


def _working_days_later(rng: random.Random, days: tuple[int, int]) -> timedelta:
    """The wait until an officer acts: a number of working days later, during office hours."""
    now = timezone.localtime()
    day = add_working_days(now.date(), rng.randint(*days))
    moment = _local(day, time(9, 0)) + timedelta(minutes=rng.randrange(8 * 60))
    return max(moment - now, timedelta(minutes=rng.randint(20, 240)))


def _services_by_weight(profile: Profile, services: dict[str, Service]) -> list[Service]:
    return [service for code, service in sorted(services.items()) if profile.behaviour(code).weight > 0]


def _staff(services: Iterable[Service]) -> dict[int, list[User]]:
    """Per agency of the services: a counter clerk (first) and officers who decide, made once and kept."""
    staff: dict[int, list[User]] = {}
    for agency in Agency.objects.filter(pk__in={service.agency_id for service in services}).order_by("pk"):
        staff[agency.pk] = [_staff_member(agency, number) for number in range(1 + OFFICERS_PER_AGENCY)]
    return staff


def _staff_member(agency: Agency, number: int) -> User:
    iin = make_iin(date(1975, 1, 1) + timedelta(days=agency.pk * 10 + number), female=number % 2 == 1, serial=9900)
    user, _created = User.objects.get_or_create(
        iin=iin,
        defaults={
            "agency": agency,
            "staff_role": StaffRole.CLERK,
            "first_name": "Simulated",
            "last_name": f"Officer {number}",
            "password": "!",  # an unusable password: nobody logs in as a simulated officer
        },
    )
    return user


def _local(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


@contextmanager
def _clock(moment: datetime) -> Iterator["time_machine.Coordinates"]:
    traveller = time_machine.travel(moment, tick=False)
    coordinates = traveller.start()
    try:
        yield coordinates
    finally:
        traveller.stop()


@contextmanager
def _simulated_edges() -> Iterator[None]:
    """Messages stay in memory, a fast password hash for the synthetic accounts, tasks run in this process."""
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    with override_settings(
        SMS_BACKEND="services.notifications.sms.LocmemSmsBackend",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        try:
            LocmemSmsBackend.reset()
            yield
        finally:
            LocmemSmsBackend.reset()
            current_app.conf.task_always_eager = eager
