"""Every error of the API is application/problem+json (RFC 9457)."""

import pytest

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
