"""Every back-office URL, read from the URL resolver, against every kind of visitor.

A new pattern under the "backoffice" namespace must be added to ALLOWED (who may use it) and any
new URL parameter to the objects below, or this test fails: no page goes unchecked.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from services.workflow.service import draft_start
from services.workflow.states import Channel
from tests.factories import ServiceRequestFactory, StaffFactory, UserFactory
from tests.otp import verified_client

pytestmark = pytest.mark.django_db

STAFF = {"clerk", "supervisor", "other_clerk"}
OWN_AGENCY = {"clerk", "supervisor"}
# Who may use each page or action. Everybody else is refused (anonymous: sent to the staff login).
ALLOWED = {
    "login": {"anonymous", "citizen", *STAFF},
    # Guarded by the login's own progress (the password checked), not by who the visitor is: anybody
    # else is sent back to the login.
    "authenticator": {"anonymous", "citizen", *STAFF},
    "queue": STAFF,
    "request": OWN_AGENCY,
    "result_document": OWN_AGENCY,
    "uploaded_file": OWN_AGENCY,
    "claim": OWN_AGENCY,
    "reassign": {"supervisor"},
    "request_info": OWN_AGENCY,
    "approve": OWN_AGENCY,
    "reject": OWN_AGENCY,
    "note": OWN_AGENCY,
    "assisted_start": STAFF,
    "assisted_answers": {"clerk"},  # only the clerk who opened the draft
    "team": {"supervisor"},
    "team_reassign": {"supervisor"},
}
LOGIN_STEPS = {"login", "authenticator"}
ROLES = ["anonymous", "citizen", "clerk", "other_clerk", "supervisor"]


def backoffice_patterns() -> list[URLPattern]:
    _prefix, resolver = get_resolver().namespace_dict["backoffice"]
    return [pattern for pattern in resolver.url_patterns if isinstance(pattern, URLPattern)]


def test_every_pattern_is_in_the_matrix():
    assert {pattern.name for pattern in backoffice_patterns()} == set(ALLOWED)


@pytest.fixture
def world(service, clerk, supervisor, result_document, uploaded_file):
    in_review = ServiceRequestFactory(service=service, in_review=True)
    result_document(in_review)
    upload = uploaded_file(in_review)
    draft = draft_start(citizen=UserFactory(), service=service, channel=Channel.ASSISTED, filed_by=clerk)
    clients = {
        "anonymous": Client(),
        "citizen": Client(),
        "clerk": verified_client(clerk),
        "other_clerk": verified_client(StaffFactory()),
        "supervisor": verified_client(supervisor),
    }
    clients["citizen"].force_login(in_review.citizen)  # the request's own citizen, even
    return {
        "clients": clients,
        "reference": {"assisted_answers": draft.reference, "*": in_review.reference},
        "public_id": {"*": upload.public_id},
    }


def _url(pattern: URLPattern, world) -> str:
    kwargs = {}
    for parameter in pattern.pattern.converters:
        assert parameter in world, f"{pattern.name}: unknown URL parameter {parameter!r}, add it to the matrix"
        kwargs[parameter] = world[parameter].get(pattern.name, world[parameter]["*"])
    return reverse(f"backoffice:{pattern.name}", kwargs=kwargs)


@pytest.mark.parametrize("pattern", backoffice_patterns(), ids=lambda pattern: pattern.name)
def test_each_url_lets_in_only_those_allowed(pattern, world):
    url = _url(pattern, world)
    for role in ROLES:
        refused = []
        for method in ("get", "post"):
            response = getattr(world["clients"][role], method)(url)
            where = f"{method.upper()} {url} as {role}: {response.status_code}"
            if role in ALLOWED[pattern.name]:
                assert response.status_code not in (403, 404), where
                if pattern.name not in LOGIN_STEPS:
                    assert not response.get("Location", "").startswith("/backoffice/login/"), where
            elif role == "anonymous":
                assert response.status_code == 302, where
                assert response["Location"].startswith("/backoffice/login/?next="), where
            else:
                # The wrong method is refused (405) before any look-up, so it reveals nothing either.
                assert response.status_code in (403, 404, 405), where
                refused.append(response.status_code)
        if role not in ALLOWED[pattern.name] and role != "anonymous":
            assert {403, 404} & set(refused), f"{url} as {role}: {refused}"
