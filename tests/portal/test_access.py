"""Every citizen page, taken from the URL resolver: another citizen gets 404 (or none of the owner's
data), an anonymous visitor is sent to log in. A new page is covered without editing this test; a
URL parameter the test cannot fill fails it, so the list stays complete."""

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from services.apiclients.tokens import token_create
from services.attachments.models import Attachment, Purpose
from services.catalogue.forms import form_pages
from services.consents.models import Purpose as ConsentPurpose
from services.consents.service import consent_give
from services.documents.service import document_issue
from services.notifications.models import Notification
from services.workflow.states import Action, ActorKind, State
from tests.factories import ServiceRequestFactory, ThirdPartyClientFactory, UserFactory
from tests.portal.tracking.support import add_event
from tests.uploads import PDF

pytestmark = pytest.mark.django_db

# Public pages, and the areas whose access other suites test (back office, API, dashboard).
EXEMPT_PREFIXES = ("admin/", "i18n/", "dev/", "backoffice/", "api/", "dashboard/", "verify/", "metrics", "static/")
EXEMPT_NAMES = {
    "home",
    "catalogue",
    "service_passport",
    "healthz",
    "readyz",
    "login",
    "logout",  # POST only, and shows nothing
    "signup",
    "signup_code",
    "signup_code_resend",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "owner_consent",  # public: the owner has no account; it shows nothing of the request (test_consent_page)
}
# Parameters that name something of one citizen: another citizen must get 404.
PRIVATE = {"reference", "public_id", "token_id", "consent_id"}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def _patterns(resolver=None, prefix=""):
    """(route, name) of every URL pattern, with its include prefixes."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name


def citizen_routes():
    return [
        (route, name)
        for route, name in _patterns()
        if not route.startswith(EXEMPT_PREFIXES) and name not in EXEMPT_NAMES
    ]


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def owned(owner):
    """A draft of the owner's with a result document, an uploaded file and a message, so every page has
    something of theirs to show."""
    request = ServiceRequestFactory(citizen=owner, submitted=True, state=State.APPROVED)
    document_issue(request=request)
    request.state, request.submitted_at = State.DRAFT, None
    request.save()
    attachment = Attachment(
        request=request,
        uploaded_by=owner,
        purpose=Purpose.RESPONSE,
        original_name="scan.pdf",
        size=len(PDF),
        sha256="0" * 64,
        content_type="application/pdf",
    )
    attachment.file.save("ignored", ContentFile(PDF), save=False)
    attachment.save()
    event = add_event(
        request, Action.SUBMIT, from_state=State.DRAFT, to_state=State.SUBMITTED, actor_kind=ActorKind.CITIZEN
    )
    Notification.objects.create(
        request=request,
        event=event,
        channel=Notification.Channel.SMS,
        recipient=owner.phone,
        language="en",
        body=f"Request {request.reference} received.",
        status=Notification.Status.SENT,
        idempotency_key=f"test-{event.pk}",
    )
    return request


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(route, owned):
    values = {
        "reference": owned.reference,
        "code": owned.service.code,
        "page": form_pages(owned.form_version.schema)[0],
        "public_id": owned.attachments.get().public_id,
        "token_id": token_create(user=owned.citizen, name="Banking app")[0].pk,
        "consent_id": consent_give(
            citizen=owned.citizen, client=ThirdPartyClientFactory(), purpose=ConsentPurpose.READ_REQUESTS
        ).pk,
    }
    unknown = set(PARAMETER.findall(route)) - set(values)
    if unknown or "(" in route or "^" in route:
        pytest.fail(f"{route}: cannot fill {sorted(unknown) or 'a regular expression'}; teach this test or exempt it")
    return "/" + PARAMETER.sub(lambda match: str(values[match.group(1)]), route)


def _browser(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_walk_finds_the_citizen_pages():
    names = {name for _, name in citizen_routes()}
    assert {"my_requests", "request_detail", "request_attachment", "apply_page", "notification_inbox"} <= names


def test_the_owner_reaches_every_citizen_page(owner, owned):
    browser = _browser(owner)
    for route, _ in citizen_routes():
        url = _url(route, owned)
        assert browser.get(url).status_code in (200, 302), url


def test_another_citizen_gets_404_or_none_of_the_owners_data(owner, owned):
    stranger = _browser(UserFactory())
    for route, _ in citizen_routes():
        url = _url(route, owned)
        response = stranger.get(url)
        if PRIVATE & set(PARAMETER.findall(route)):
            assert response.status_code == 404, url
            assert stranger.post(url, {"message": "mine now", "rating": "5", "confirm": "yes"}).status_code in (
                404,
                405,
            ), url
        else:
            page = response.content.decode()
            assert owned.reference not in page and owner.iin not in page, url
    owned.refresh_from_db()
    assert owned.state == State.DRAFT


def test_an_anonymous_visitor_is_sent_to_log_in(owned):
    anonymous = Client()
    for route, _ in citizen_routes():
        url = _url(route, owned)
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
