"""Every citizen page, read from the URL resolver, with its parameters filled from objects a test makes.

A page added later is visited without editing this module when its parameters are ones it knows
(`reference`, `code`); a pattern whose parameters it cannot fill fails the tests that use it, so
the list of pages stays complete. Only what is not a citizen page is exempt.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from services.accounts.models import User
from services.catalogue.models import Service
from services.registries import demo
from services.workflow.models import ServiceRequest
from services.workflow.service import draft_save_step, draft_start, request_submit
from services.workflow.states import Action, Channel, State
from services.workflow.transitions import transition
from tests.factories import StaffFactory, UserFactory
from tests.uploads import uploaded_scan

# Not citizen pages: the admin, the back office, the API, development and health endpoints, i18n.
EXEMPT_PREFIXES = ("admin/", "backoffice/", "api/", "dev/", "i18n/", "healthz", "readyz", "metrics")
# Citizen URLs that are not pages: POST-only actions (a GET goes back to the page they belong to) and downloads.
EXEMPT_NAMES = frozenset(
    {
        "logout",
        "signup_code_resend",
        "request_withdraw",
        "request_respond",
        "request_satisfaction",
        "api_token_revoke",
        "profile_consent_give",
        "profile_consent_revoke",
        "request_document",
        "request_attachment",
    }
)
# Staff pages outside /backoffice/ (their own browser checks are in test_dashboard.py).
STAFF_NAMES = frozenset({"dashboard:staff"})
# Pages a person sees before logging in; every other page is visited as the signed-in citizen.
ANONYMOUS_PAGES = frozenset(
    {
        "signup",
        "signup_code",
        "login",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)
CITIZEN_PASSWORD = "correct horse battery"
AUTOMATIC = "criminal-record-certificate"
OFFICER_DECIDED = "identity-document"
ID_CARD_SCANS = ["previous_identity_document"]
ID_CARD_ANSWERS = {
    "document": {"document_type": "id_card", "reason": "expiry"},
    "collection": {"urgency": "standard", "pickup_region": "astana", "pickup_office": "Public Service Centre No. 1"},
}


@dataclass(frozen=True)
class Route:
    """One URL pattern of the site: its name (namespaced), its full route and its parameters."""

    name: str
    route: str
    parameters: tuple[str, ...]


@dataclass(frozen=True)
class Visit:
    """A page to open: its URL, whether it is seen signed in, and what must happen first to reach it."""

    name: str
    url: str
    anonymous: bool
    needs_signup_in_progress: bool = False


@dataclass
class Objects:
    """What the pages are filled from: a draft, requests in later states, a password reset link."""

    citizen: User
    draft: ServiceRequest
    info_requested: ServiceRequest
    issued: ServiceRequest
    reset_link: dict[str, str] = field(default_factory=dict)


def site_routes() -> Iterator[Route]:
    yield from _walk(get_resolver().url_patterns, prefix="", namespace="", parameters=())


def _walk(patterns, *, prefix: str, namespace: str, parameters: tuple[str, ...]) -> Iterator[Route]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        names = parameters + tuple(pattern.pattern.converters)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix=route, namespace=inner, parameters=names)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield Route(name=namespace + pattern.name, route=route, parameters=names)


def citizen_routes() -> list[Route]:
    """The site's routes less the exempt ones."""
    return [
        route
        for route in site_routes()
        if not route.route.startswith(EXEMPT_PREFIXES) and route.name not in EXEMPT_NAMES | STAFF_NAMES
    ]


def objects_for_pages() -> Objects:
    """A demo citizen with a draft, a request waiting for their answer and an issued one."""
    citizen = UserFactory(iin=demo.CITIZEN, email="aidos@example.kz", password=CITIZEN_PASSWORD)
    automatic = Service.objects.get(code=AUTOMATIC)
    draft = draft_start(citizen=citizen, service=automatic)
    issued = _submitted(citizen, AUTOMATIC, {"purpose": {"purpose": "employment"}})
    info_requested = _submitted(citizen, OFFICER_DECIDED, ID_CARD_ANSWERS, scans={"documents": ID_CARD_SCANS})
    officer = StaffFactory(agency=info_requested.service.agency)
    info_requested = transition(
        request=info_requested,
        action=Action.REQUEST_INFO,
        user=officer,
        channel=Channel.WEB,
        payload={"message": "Please tell us which office you will collect the card from."},
    )
    issued.refresh_from_db()
    assert issued.state == State.ISSUED, issued.state
    # Someone else's link: the citizen's own would stop working once the tests log them in.
    forgetful = UserFactory(email="forgetful@example.kz")
    reset_link = {
        "uidb64": urlsafe_base64_encode(force_bytes(forgetful.pk)),
        "token": default_token_generator.make_token(forgetful),
    }
    return Objects(citizen=citizen, draft=draft, info_requested=info_requested, issued=issued, reset_link=reset_link)


def _submitted(
    citizen: User, code: str, answers_by_page: dict[str, dict[str, str]], scans: dict[str, list[str]] | None = None
) -> ServiceRequest:
    """A request filed through the domain functions; `scans`: each page's file questions, given a PDF."""
    draft = draft_start(citizen=citizen, service=Service.objects.get(code=code))
    for page, answers in answers_by_page.items():
        draft = draft_save_step(request=draft, user=citizen, page=page, answers=answers)
    for page, fields in (scans or {}).items():
        uploads = {field: uploaded_scan(draft, field) for field in fields}
        draft = draft_save_step(request=draft, user=citizen, page=page, answers=uploads)
    return request_submit(request=draft, user=citizen)


def _parameters_by_name(objects: Objects) -> dict[str, list[dict[str, str]]]:
    """The pages whose parameters need particular objects, each with every variant worth seeing."""
    draft, waiting, issued = objects.draft, objects.info_requested, objects.issued
    document = issued.result_document
    return {
        "apply_page": [{"code": AUTOMATIC, "reference": draft.reference, "page": "purpose"}],
        "apply_check": [{"code": AUTOMATIC, "reference": draft.reference}],
        "apply_done": [{"code": OFFICER_DECIDED, "reference": waiting.reference}],
        "request_detail": [{"reference": request.reference} for request in (draft, waiting, issued)],
        "verify_result": [{"code": document.verification_code}],
        "password_reset_confirm": [objects.reset_link],
    }


def _parameters_by_default(objects: Objects) -> dict[str, str]:
    """What a parameter means on a page not listed above: the issued request, the automatic service."""
    return {"reference": objects.issued.reference, "code": AUTOMATIC}


def citizen_visits(objects: Objects) -> list[Visit]:
    """Every citizen page, once per variant; AssertionError names a pattern whose parameters are unknown."""
    by_name = _parameters_by_name(objects)
    defaults = _parameters_by_default(objects)
    visits = []
    for route in citizen_routes():
        if route.name in by_name:
            variants = by_name[route.name]
        else:
            unknown = [name for name in route.parameters if name not in defaults]
            assert not unknown, f"{route.route} ({route.name}): add its parameters {unknown} to citizen_pages.py"
            variants = [{name: defaults[name] for name in route.parameters}]
        for kwargs in variants:
            visits.append(
                Visit(
                    name=route.name,
                    url=reverse(route.name, kwargs=kwargs),
                    anonymous=route.name in ANONYMOUS_PAGES,
                    needs_signup_in_progress=route.name == "signup_code",
                )
            )
    return visits
