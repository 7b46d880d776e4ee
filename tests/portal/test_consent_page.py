"""The owner of an address answers a request for their consent on /consent/<reference>/, with the SMS code."""

import pytest
from django.core.cache import cache

from services.notifications.sms import LocmemSmsBackend
from services.processing.models import ConsentDecision, ConsentRequest
from services.registries import demo
from services.workflow.states import State
from tests.services.processing.test_decisions import _residence_answers, _submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue():
    from services.catalogue.loading import catalogue_load_file

    catalogue_load_file()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def waiting(settings):
    settings.SMS_BACKEND = "services.notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    request = _submit(demo.CITIZEN, "residence-registration", _residence_answers(), language="en")
    assert request.state == State.AWAITING_CONSENT
    return request


def _answer(client, request, *, iin=demo.HOME_OWNER, code=None, answer="give"):
    code = ConsentRequest.objects.get(request=request).code if code is None else code
    return client.post(f"/consent/{request.reference}/", {"owner_iin": iin, "code": code, "answer": answer})


def test_the_owners_sms_links_to_the_page_that_takes_the_code(client, waiting, settings):
    to_owner = [sms for sms in LocmemSmsBackend.outbox if waiting.reference in sms.text and "code" in sms.text]
    assert f"{settings.PUBLIC_BASE_URL.rstrip('/')}/consent/{waiting.reference}/" in to_owner[0].text
    page = client.get(f"/consent/{waiting.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Code from the SMS" in page and waiting.citizen.get_full_name() not in page


def test_the_owner_agrees_with_the_code_and_the_request_goes_on(client, waiting):
    response = _answer(client, waiting)
    assert response.status_code == 200
    assert ConsentRequest.objects.get(request=waiting).decision == ConsentDecision.GIVEN
    waiting.refresh_from_db()
    assert waiting.state == State.CHECKING


def test_the_owner_refuses(client, waiting):
    _answer(client, waiting, answer="refuse")
    assert ConsentRequest.objects.get(request=waiting).decision == ConsentDecision.REFUSED


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_wrong_code_is_refused_in_the_readers_language_and_counted(client, waiting, language):
    right = ConsentRequest.objects.get(request=waiting).code
    wrong = "000000" if right != "000000" else "111111"
    client.cookies["django_language"] = language
    response = _answer(client, waiting, code=wrong)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert ConsentRequest.objects.get(request=waiting).wrong_codes == 1


def test_bad_input_is_explained_next_to_the_field(client, waiting):
    response = client.post(f"/consent/{waiting.reference}/", {"owner_iin": "123", "code": "12ab", "answer": "give"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_owner_iin"' in page and 'href="#id_code"' in page


def test_an_unknown_reference_looks_like_any_request_not_waiting(client, waiting):
    client.cookies["django_language"] = "en"
    response = client.post("/consent/0000-9999-9/", {"owner_iin": demo.HOME_OWNER, "code": "123456", "answer": "give"})
    assert response.status_code == 400
    assert "not waiting for your consent" in response.content.decode()


def test_answers_are_limited_per_address(client, waiting, settings):
    settings.CONSENT_RATE_LIMIT = "2/m"
    for _ in range(2):
        _answer(client, waiting, code="999999")
    assert _answer(client, waiting).status_code == 429
    assert ConsentRequest.objects.get(request=waiting).decision == ConsentDecision.PENDING
