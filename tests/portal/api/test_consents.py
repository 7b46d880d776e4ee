"""Consents by API: the citizen gives and revokes; a bank reads requests only while consent stands, never writes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.audit.models import AccessRecord
from services.audit.models import Purpose as AccessPurpose
from services.consents.models import Consent, Purpose
from services.consents.service import consent_give
from services.workflow.states import Channel, State
from tests.factories import ServiceRequestFactory, ThirdPartyClientFactory
from tests.portal.api.conftest import bearer, session

pytestmark = pytest.mark.django_db
CONSENTS = "/api/v1/consents/"


@pytest.fixture
def bank(db):
    return ThirdPartyClientFactory()


def _give(client, bank):
    return client.post(CONSENTS, {"client": bank.bin, "purpose": Purpose.READ_REQUESTS}, format="json")


def test_the_citizen_gives_lists_and_revokes_a_consent(citizen, bank):
    client = session(citizen)
    given = _give(client, bank)
    assert given.status_code == 201, given.content
    assert given.json()["client"] == {"name": bank.name, "bin": bank.bin}
    assert given.json()["standing"] is True
    revoked = client.post(f"{CONSENTS}{given.json()['id']}/revoke/")
    assert revoked.status_code == 200
    assert revoked.json()["standing"] is False
    listed = client.get(CONSENTS).json()["results"]
    assert [(row["id"], row["standing"]) for row in listed] == [(given.json()["id"], False)]


def test_an_unknown_organisation_or_purpose_is_a_400(citizen, bank):
    client = session(citizen)
    unknown = client.post(CONSENTS, {"client": "999999999999", "purpose": Purpose.READ_REQUESTS}, format="json")
    assert unknown.status_code == 400
    assert "client" in unknown.json()["errors"]
    bank.purposes = []
    bank.save()
    refused = _give(client, bank)
    assert refused.status_code == 400
    assert "purpose" in refused.json()["errors"]
    assert not Consent.objects.exists()


def test_another_citizens_consent_cannot_be_revoked(citizen, other_citizen, bank):
    consent = consent_give(citizen=citizen, client=bank, purpose=Purpose.READ_REQUESTS)
    response = session(other_citizen).post(f"{CONSENTS}{consent.pk}/revoke/")
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.standing


def test_the_bank_reads_with_consent_not_without_and_not_after_revoking(citizen, service, bank):
    tracked = ServiceRequestFactory(citizen=citizen, service=service, submitted=True)
    detail = f"/api/v1/requests/{tracked.reference}/"
    api = bearer(bank.user)
    assert api.get("/api/v1/requests/").json()["results"] == []
    assert api.get(detail).status_code == 404
    assert api.get(f"{detail}timeline/").status_code == 404

    given = _give(session(citizen), bank).json()
    assert [row["reference"] for row in api.get("/api/v1/requests/").json()["results"]] == [tracked.reference]
    assert api.get(detail).json()["state"] == State.SUBMITTED
    assert api.get(f"{detail}timeline/").status_code == 200
    assert AccessRecord.objects.filter(request=tracked, user=bank.user).count() == 3  # the citizen sees who read

    session(citizen).post(f"{CONSENTS}{given['id']}/revoke/")
    assert api.get("/api/v1/requests/").json()["results"] == []
    assert api.get(detail).status_code == 404


def test_the_bank_cannot_move_or_download_a_consenting_citizens_request(citizen, service, bank):
    tracked = ServiceRequestFactory(citizen=citizen, service=service, submitted=True)
    consent_give(citizen=citizen, client=bank, purpose=Purpose.READ_REQUESTS)
    api = bearer(bank.user)
    for move in ("withdraw", "submit", "respond", "steps", "document"):
        method = api.get if move == "document" else api.post
        assert method(f"/api/v1/requests/{tracked.reference}/{move}/").status_code == 404, move
    tracked.refresh_from_db()
    assert tracked.state == State.SUBMITTED


def test_the_banks_list_records_one_reading_per_request_on_the_page(citizen, other_citizen, service, bank):
    mine = [ServiceRequestFactory(citizen=citizen, service=service, submitted=True) for _ in range(3)]
    theirs = [ServiceRequestFactory(citizen=other_citizen, service=service, submitted=True) for _ in range(9)]
    ServiceRequestFactory(service=service, submitted=True)  # a citizen who gave no consent
    for person in (citizen, other_citizen):
        consent_give(citizen=person, client=bank, purpose=Purpose.READ_REQUESTS)
    api = bearer(bank.user)
    api.get("/api/v1/requests/?page_size=1")  # the token's first use writes its last_used_at
    AccessRecord.objects.all().delete()

    with CaptureQueriesContext(connection) as small:
        page = api.get("/api/v1/requests/?page_size=2").json()["results"]
    listed = {row["reference"] for row in page}
    recorded = AccessRecord.objects.filter(user=bank.user, channel=Channel.API, purpose=AccessPurpose.VIEWED_REQUEST)
    assert set(recorded.values_list("request__reference", flat=True)) == listed and recorded.count() == 2
    with CaptureQueriesContext(connection) as large:
        page = api.get("/api/v1/requests/?page_size=12").json()["results"]
    assert {row["reference"] for row in page} == {request.reference for request in mine + theirs}
    assert recorded.count() == 14
    assert len(small) == len(large)  # one INSERT for the page, whatever its size


def test_a_citizens_own_list_records_nothing(api, citizen, service):
    ServiceRequestFactory(citizen=citizen, service=service, submitted=True)
    assert len(api.get("/api/v1/requests/").json()["results"]) == 1
    assert not AccessRecord.objects.exists()
