"""Idempotency-Key on writes, with Stripe's semantics."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from services.apiclients.models import IdempotencyKey
from services.apiclients.tasks import purge_idempotency_keys
from services.workflow.models import ServiceRequest
from services.workflow.states import State
from tests.factories import ServiceRequestFactory
from tests.portal.api.conftest import bearer

KEY = "8b1f7a52-2d1e-4c1b-9e0b-4f6f1d3c2a10"


def _create(client, service, key=KEY, **body):
    return client.post("/api/v1/requests/", {"service": service.code, **body}, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_a_retry_with_the_same_key_and_body_gets_the_first_response(api, service, citizen):
    first = _create(api, service)
    again = _create(api, service)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert ServiceRequest.objects.filter(citizen=citizen).count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused(api, service, citizen):
    _create(api, service)
    response = _create(api, service, extra="different")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    other_path = api.post("/api/v1/requests/X/submit/", format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert other_path.status_code == 422
    assert ServiceRequest.objects.filter(citizen=citizen).count() == 1


@pytest.mark.django_db
def test_another_clients_key_sees_nothing_of_the_first(api, service, citizen, other_citizen):
    mine = _create(api, service)
    theirs = _create(bearer(other_citizen), service)
    assert theirs.status_code == 201
    assert theirs.json()["reference"] != mine.json()["reference"]
    assert "Idempotent-Replayed" not in theirs
    assert ServiceRequest.objects.get(reference=theirs.json()["reference"]).citizen == other_citizen


@pytest.mark.django_db
def test_errors_are_replayed_too_so_a_retry_does_not_move_twice(api, citizen):
    request = ServiceRequestFactory(citizen=citizen, in_review=True)
    url = f"/api/v1/requests/{request.reference}/withdraw/"
    first = api.post(url, HTTP_IDEMPOTENCY_KEY="withdraw-1")
    assert first.status_code == 200
    assert api.post(url, HTTP_IDEMPOTENCY_KEY="withdraw-1").json() == first.json()
    conflict = api.post(url, HTTP_IDEMPOTENCY_KEY="withdraw-2")
    assert conflict.status_code == 409
    replay = api.post(url, HTTP_IDEMPOTENCY_KEY="withdraw-2")
    assert (replay.status_code, replay["Content-Type"]) == (409, "application/problem+json")
    assert replay.json() == conflict.json()


@pytest.mark.django_db
def test_a_key_too_long_is_400(api, service):
    assert _create(api, service, key="k" * 256).status_code == 400


@pytest.mark.django_db
def test_writes_without_a_key_simply_run(api, service, citizen):
    api.post("/api/v1/requests/", {"service": service.code}, format="json")
    api.post("/api/v1/requests/", {"service": service.code}, format="json")
    assert ServiceRequest.objects.filter(citizen=citizen).count() == 2
    assert not IdempotencyKey.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_retries_create_one_request_and_answer_the_same(service, citizen):
    assert connection.vendor == "postgresql"
    clients = [bearer(citizen) for _ in range(10)]
    start = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def post(index):
        try:
            start.wait(timeout=10)
            responses[index] = _create(clients[index], service)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(index,)) for index in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(response is not None for response in responses)
    assert {response.status_code for response in responses} == {201}
    assert len({str(response.json()) for response in responses}) == 1
    assert ServiceRequest.objects.filter(citizen=citizen, state=State.DRAFT).count() == 1
    assert IdempotencyKey.objects.filter(user=citizen).count() == 1


@pytest.mark.django_db
def test_keys_live_24_hours_then_a_retry_is_a_new_write(api, service, citizen):
    first = _create(api, service)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        later = _create(api, service)
        assert later.json()["reference"] != first.json()["reference"]
        _create(api, service, key="another")
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        assert purge_idempotency_keys() == 2
    assert not IdempotencyKey.objects.exists()
