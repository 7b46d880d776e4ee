"""What each workflow event says, to whom, in which language and on which channel.

`message_compose(event=..., channel=...)` returns the message an event sends on a channel, or None
when it sends nothing there. Nothing is sent when:

- the action has no message (claim, note, ...) or none for that channel (the owner's consent is
  SMS only, the officer's reminder is email only);
- the action has nothing to say this time (`respond` when the request did not wait any working
  days; `remind` when nobody is assigned);
- the recipient has no address for the channel (a citizen without email or phone).

Citizens and the owner are written to in the request's language (`request.language`); the officer
in their own preferred language. Dates are local dates written as dd.mm.yyyy, the usual form in
Kazakhstan in all three languages.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import Truncator
from django.utils.translation import gettext, override

from services.i18n import FALLBACK, LANGUAGES, pick
from services.notifications.models import Notification
from services.workflow.models import RequestEvent, ServiceRequest
from services.workflow.states import Action, State

SMS_MAX_LENGTH = 300
_SMS_NAME_LENGTH = 60  # a service's or person's name is cut to this in an SMS, to keep it short

Context = dict[str, str]


class Audience(Enum):
    """Who a message is for, which decides its recipient and language."""

    CITIZEN = "citizen"  # request.citizen: email and phone
    OWNER = "owner"  # the third party whose consent is asked: event.payload["owner_phone"], SMS only
    OFFICER = "officer"  # request.assignee: email only


@dataclass(frozen=True)
class Message:
    """One message ready to send."""

    channel: str
    recipient: str
    language: str
    subject: str
    body: str


@dataclass(frozen=True)
class Texts:
    """An action's texts in the active language; an empty text means nothing on that channel."""

    subject: str = ""
    email: str = ""
    sms: str = ""


Composer = Callable[[RequestEvent, Context], Texts | None]


def message_compose(*, event: RequestEvent, channel: str) -> Message | None:
    """The message `event` sends on `channel` ("email" or "sms"), or None when it sends none there."""
    entry = _COMPOSERS.get(event.action)
    if entry is None:
        return None
    audience, compose = entry
    recipient = _recipient(audience, event, channel)
    if not recipient:
        return None
    language = _language(audience, event.request)
    with override(language):
        texts = compose(event, _context(event.request, language))
        body = _body(texts, channel)
    if not body:
        return None
    subject = texts.subject if channel == Notification.Channel.EMAIL else ""
    return Message(channel=channel, recipient=recipient, language=language, subject=subject, body=body)


def _recipient(audience: Audience, event: RequestEvent, channel: str) -> str:
    request = event.request
    email = channel == Notification.Channel.EMAIL
    if audience is Audience.CITIZEN:
        return request.citizen.email if email else request.citizen.phone
    if audience is Audience.OWNER:
        return "" if email else str(event.payload.get("owner_phone", ""))
    if request.assignee_id is None or not email:
        return ""
    return request.assignee.email


def _language(audience: Audience, request: ServiceRequest) -> str:
    language = request.assignee.preferred_language if audience is Audience.OFFICER else request.language
    return language if language in LANGUAGES else FALLBACK


def _body(texts: Texts | None, channel: str) -> str:
    """The text for the channel, in the active language: emails get a footer, SMS are kept short."""
    if texts is None:
        return ""
    if channel == Notification.Channel.EMAIL:
        if not texts.email:
            return ""
        footer = gettext("This message was sent automatically by the public services portal. Please do not reply.")
        return _paragraphs(texts.email, footer)
    return Truncator(texts.sms).chars(SMS_MAX_LENGTH)


def _context(request: ServiceRequest, language: str) -> Context:
    service = request.service
    name = pick({"kk": service.name_kk, "ru": service.name_ru, "en": service.name_en}, language)
    return {
        "reference": request.reference,
        "service": name,
        "service_short": Truncator(name).chars(_SMS_NAME_LENGTH),
        "deadline": _local_date(request.deadline),
    }


def _local_date(day: date | None) -> str:
    return dateformat.format(day, "d.m.Y") if day else ""


def _local_time(value: Any) -> str:
    """A payload's moment (ISO 8601 text or a datetime) as a local date and time."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        return str(value or "")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return dateformat.format(timezone.localtime(moment), "d.m.Y H:i")


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


# --- The texts of each action (called with the message's language active) -----------------------


def _submitted(event: RequestEvent, context: Context) -> Texts:
    return Texts(
        subject=gettext("Request %(reference)s received") % context,
        email=_paragraphs(
            gettext("We received your request “%(service)s”, reference %(reference)s.") % context,
            gettext("A decision is due by %(deadline)s. You can follow the request in your personal account.")
            % context,
        ),
        sms=gettext("We received your request %(reference)s (%(service_short)s). Decision due by %(deadline)s.")
        % context,
    )


def _consent_asked(event: RequestEvent, context: Context) -> Texts:
    """An SMS to the owner of the address, not to the applicant."""
    applicant = Truncator(event.request.citizen.get_full_name()).chars(_SMS_NAME_LENGTH)
    context = {
        **context,
        "applicant": applicant,
        "code": str(event.payload.get("consent_code", "")),
        "expires": _local_time(event.payload.get("expires_at")),
        "link": f"{settings.PUBLIC_BASE_URL.rstrip('/')}/consent/{event.request.reference}/",
    }
    if applicant:
        asked = gettext("%(applicant)s asks to be registered at your address (request %(reference)s).") % context
    else:
        asked = gettext("A person asks to be registered at your address (request %(reference)s).") % context
    answer = gettext("To answer, open %(link)s and enter code %(code)s by %(expires)s.")
    return Texts(sms=f"{asked} {answer % context}")


def _info_requested(event: RequestEvent, context: Context) -> Texts:
    question = str(event.payload.get("message", "")).strip()
    if question:
        asked = gettext("The officer handling your request “%(service)s” (%(reference)s) asks:") % context
    else:
        asked = gettext("The officer handling your request “%(service)s” (%(reference)s) needs more information.")
        asked %= context
    return Texts(
        subject=gettext("Request %(reference)s: more information needed") % context,
        email=_paragraphs(
            asked,
            question,
            gettext("Please answer in your personal account. The deadline is paused until you answer."),
        ),
        sms=gettext(
            "Request %(reference)s: the officer needs more information. Please answer in your personal account."
        )
        % context,
    )


def _answered(event: RequestEvent, context: Context) -> Texts | None:
    """Only when waiting for the answer moved the deadline."""
    if int(event.payload.get("paused_working_days", 0) or 0) <= 0 or not context["deadline"]:
        return None
    return Texts(
        subject=gettext("Request %(reference)s: new deadline") % context,
        email=gettext(
            "Thank you for your answer. The deadline of your request “%(service)s” (%(reference)s) moved to "
            "%(deadline)s because the request waited for your answer."
        )
        % context,
    )


def _rejected(event: RequestEvent, context: Context) -> Texts:
    reason = event.request.decision_reason or str(event.payload.get("reason", ""))
    return Texts(
        subject=gettext("Request %(reference)s: refused") % context,
        email=_paragraphs(
            gettext("Your request “%(service)s” (%(reference)s) was refused.") % context,
            gettext("Reason: %(reason)s") % {"reason": reason} if reason else "",
            gettext("The decision is in your personal account. You may appeal it or apply again."),
        ),
        sms=gettext("Request %(reference)s (%(service_short)s) was refused. The reason is in your personal account.")
        % context,
    )


def _issued(event: RequestEvent, context: Context) -> Texts:
    return Texts(
        subject=gettext("Request %(reference)s: your document is ready") % context,
        email=gettext(
            "The document for your request “%(service)s” (%(reference)s) is ready. "
            "Download it in your personal account."
        )
        % context,
        sms=gettext("Request %(reference)s: your document is ready. Download it in your personal account.") % context,
    )


def _expired(event: RequestEvent, context: Context) -> Texts:
    if event.from_state == State.AWAITING_CONSENT:
        why = gettext("The owner of the address did not give consent in time.")
    else:
        why = gettext("We did not receive your answer in time.")
    return Texts(
        subject=gettext("Request %(reference)s: closed") % context,
        email=_paragraphs(
            gettext("Your request “%(service)s” (%(reference)s) was closed without a decision.") % context,
            why,
            gettext("You can apply again at any time."),
        ),
        sms=gettext("Request %(reference)s was closed: the time limit passed. You can apply again.") % context,
    )


def _failed(event: RequestEvent, context: Context) -> Texts:
    return Texts(
        subject=gettext("Request %(reference)s: we could not process it") % context,
        email=_paragraphs(
            gettext(
                "We are sorry: a technical problem on our side stopped your request “%(service)s” (%(reference)s). "
                "No decision was made on it."
            )
            % context,
            gettext("Please submit the request again. If the problem repeats, contact the portal's support service."),
        ),
        sms=gettext(
            "Sorry, request %(reference)s could not be processed because of a technical problem. "
            "Please submit it again."
        )
        % context,
    )


def _reminded(event: RequestEvent, context: Context) -> Texts:
    """To the officer the request is assigned to, about the deadline the reminder was for."""
    deadline = parse_date(str(event.payload.get("deadline", "")))
    if deadline is not None:
        context = {**context, "deadline": _local_date(deadline)}
    return Texts(
        subject=gettext("Reminder: request %(reference)s is due on %(deadline)s") % context,
        email=gettext(
            "Request %(reference)s (“%(service)s”) is due on %(deadline)s. Please make sure it is decided in time."
        )
        % context,
    )


_COMPOSERS: dict[str, tuple[Audience, Composer]] = {
    Action.SUBMIT: (Audience.CITIZEN, _submitted),
    Action.AWAIT_CONSENT: (Audience.OWNER, _consent_asked),
    Action.REQUEST_INFO: (Audience.CITIZEN, _info_requested),
    Action.RESPOND: (Audience.CITIZEN, _answered),
    Action.REJECT: (Audience.CITIZEN, _rejected),
    Action.ISSUE: (Audience.CITIZEN, _issued),
    Action.EXPIRE: (Audience.CITIZEN, _expired),
    Action.FAIL: (Audience.CITIZEN, _failed),
    Action.REMIND: (Audience.OFFICER, _reminded),
}


def actions_written_to(audience: Audience) -> frozenset[str]:
    """The actions whose message goes to `audience` (the citizen's inbox shows only theirs)."""
    return frozenset(action for action, (written_to, _) in _COMPOSERS.items() if written_to is audience)
