"""Every error of the API is application/problem+json (RFC 9457)."""

import pytest

from tests.factories import ServiceRequestFactory, StaffFactory
from tests.otp import verified_client
from tests.portal.api.conftest import bearer

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _is_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("/api/problems/")
    assert body["title"]
    return body


def test_anonymous_calls_are_401_with_the_bearer_challenge(anonymous):
    response = anonymous.get("/api/v1/requests/")
    _is_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_bad_token_is_401(anonymous):
    anonymous.credentials(HTTP_AUTHORIZATION="Bearer egov_not-a-real-token")
    _is_problem(anonymous.get("/api/v1/requests/"), 401)


def test_unknown_paths_under_api_are_404_problems(anonymous):
    _is_problem(anonymous.get("/api/v2/anything"), 404)
    _is_problem(anonymous.post("/api/v1/nothing/here/"), 404)


def test_malformed_json_is_400(api):
    response = api.post("/api/v1/requests/", "{not json", content_type="application/json")
    _is_problem(response, 400)


def test_other_media_types_are_415(api):
    _is_problem(api.post("/api/v1/requests/", "service=x", content_type="application/x-www-form-urlencoded"), 415)


def test_a_bad_filter_value_is_400_with_the_field(api):
    body = _is_problem(api.get("/api/v1/requests/?state=nonsense"), 400)
    assert list(body["errors"]) == ["state"]


def test_throttling_answers_429_with_retry_after(api, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "user": "2/min"}
    assert api.get("/api/v1/requests/").status_code == 200
    assert api.get("/api/v1/requests/").status_code == 200
    response = api.get("/api/v1/requests/")
    _is_problem(response, 429)
    assert 0 < int(response["Retry-After"]) <= 60


def test_verification_has_its_own_scoped_rate(anonymous, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "verify": "1/min"}
    assert anonymous.get("/api/v1/documents/X/verification/").status_code == 200
    _is_problem(anonymous.get("/api/v1/documents/X/verification/"), 429)
    assert anonymous.get("/api/v1/services/").status_code == 200


def test_problems_speak_the_readers_language(anonymous):
    english = anonymous.get("/api/v1/requests/").json()["title"]
    russian = anonymous.get("/api/v1/requests/", HTTP_ACCEPT_LANGUAGE="ru").json()["title"]
    assert english != russian


@pytest.mark.parametrize(
    "details",
    [r'"a\ud800bc"', r'"\udfff"', r'"a\u0000b"', r'{"\ud800": "x"}', r'{"a\u0000": "x"}', r'["ok", ["\udc00"]]'],
)
def test_a_lone_surrogate_or_nul_is_refused_and_nothing_is_stored(api, service, details):
    draft = api.post("/api/v1/requests/", {"service": service.code}, format="json").json()
    body = f'{{"page": "purpose", "answers": {{"purpose": "work", "details": {details}}}}}'
    response = api.post(f"/api/v1/requests/{draft['reference']}/steps/", body, content_type="application/json")
    assert _is_problem(response, 400)["type"] == "/api/problems/parse-error"
    assert api.get("/api/v1/requests/").status_code == 200


def test_a_surrogate_pair_is_a_character_like_any_other(api, service):
    draft = api.post("/api/v1/requests/", {"service": service.code}, format="json").json()
    body = r'{"page": "purpose", "answers": {"purpose": "work", "details": "ok \ud83d\ude00"}}'
    response = api.post(f"/api/v1/requests/{draft['reference']}/steps/", body, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert api.get(f"/api/v1/requests/{draft['reference']}/").json()["answers"]["details"] == "ok \U0001f600"


@pytest.mark.parametrize("depth", [40, 100_000])
def test_a_body_nested_too_deep_is_400(api, depth):
    response = api.post("/api/v1/requests/", "[" * depth + "]" * depth, content_type="application/json")
    assert _is_problem(response, 400)["type"] == "/api/problems/parse-error"


def test_a_body_over_the_size_limit_is_413(api, service, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post("/api/v1/requests/", {"service": service.code, "padding": "x" * 1000}, format="json")
    body = _is_problem(response, 413)
    assert body["type"] == "/api/problems/payload-too-large"
    assert "1000" in body["detail"]


def test_every_403_has_the_same_type(api, clerk, service):
    """DRF's refusal (a citizen in the staff queue) and the domain's (a clerk may not reassign) are one kind."""
    verified_client(clerk)
    reference = ServiceRequestFactory(service=service, in_review=True).reference
    reassign = {"assignee": StaffFactory(agency=service.agency).pk}
    refusals = [
        api.get("/api/v1/queue/"),
        bearer(clerk).post(f"/api/v1/queue/{reference}/reassign/", reassign, format="json"),
    ]
    assert {_is_problem(response, 403)["type"] for response in refusals} == {"/api/problems/forbidden"}
