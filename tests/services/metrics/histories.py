"""Hand-built request histories for the KPI tests, made with the workflow's own functions at set times."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine

from services.workflow.models import ServiceRequest
from services.workflow.service import (
    draft_complete,
    draft_resume,
    draft_save_step,
    draft_start,
    request_respond,
    request_withdraw,
)
from services.workflow.states import Action, Channel
from services.workflow.transitions import transition
from tests.factories import VALID_ANSWERS

ALMATY = ZoneInfo("Asia/Almaty")


def at(day: date, hour: int = 10) -> time_machine.travel:
    """Travel to `hour` o'clock, Almaty time, on `day` (the clock stands still)."""
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=ALMATY), tick=False)


def start(service, citizen, day: date, channel: Channel = Channel.WEB, filed_by=None) -> ServiceRequest:
    with at(day):
        return draft_start(citizen=citizen, service=service, channel=channel, filed_by=filed_by)


def save_page(draft: ServiceRequest, page: str, day: date) -> ServiceRequest:
    answers = {"purpose": {"purpose": "work"}, "contact": {"phone": VALID_ANSWERS["phone"]}}[page]
    with at(day):
        return draft_save_step(request=draft, user=draft.filed_by or draft.citizen, page=page, answers=answers)


def resume(draft: ServiceRequest, day: date) -> ServiceRequest:
    with at(day):
        return draft_resume(request=draft, user=draft.citizen)


def submit(draft: ServiceRequest, day: date) -> ServiceRequest:
    """Fill in every page and submit, then the system starts its checks."""
    with at(day):
        user = draft.filed_by or draft.citizen
        channel = Channel(draft.channel)
        submitted = draft_complete(request=draft, user=user, answers=dict(VALID_ANSWERS), channel=channel)
        return system(submitted, Action.START_CHECKS, day)


def system(request: ServiceRequest, action: Action, day: date) -> ServiceRequest:
    with at(day, hour=11):
        return transition(request=request, action=action, user=None, channel=Channel.SYSTEM)


def officer(request: ServiceRequest, staff, action: Action, day: date) -> ServiceRequest:
    with at(day, hour=12):
        return transition(request=request, action=action, user=staff, channel=Channel.WEB, reason="Checked.")


def respond(request: ServiceRequest, day: date) -> ServiceRequest:
    with at(day, hour=13):
        return request_respond(request=request, user=request.citizen, message="Here it is.")


def withdraw(request: ServiceRequest, day: date) -> ServiceRequest:
    with at(day, hour=14):
        return request_withdraw(request=request, user=request.citizen)


def issued_automatically(service, citizen, day: date, channel: Channel = Channel.WEB) -> ServiceRequest:
    request = submit(start(service, citizen, day, channel), day)
    request = system(request, Action.APPROVE, day)
    return system(request, Action.ISSUE, day)


def decided_by_officer(service, citizen, staff, action: Action, submitted: date, decided: date) -> ServiceRequest:
    request = submit(start(service, citizen, submitted), submitted)
    request = system(request, Action.ROUTE_TO_REVIEW, submitted)
    request = officer(request, staff, action, decided)
    return system(request, Action.ISSUE, decided) if action == Action.APPROVE else request
