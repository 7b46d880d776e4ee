import pytest

from services.workflow.states import Action
from tests.factories import ServiceRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_dev_inbox_lists_the_messages_sent_when_debug_is_on(act, client, settings):
    settings.DEBUG = True
    request = ServiceRequestFactory(citizen=UserFactory(email="aigerim@example.kz"), language="ru")
    act(request, Action.SUBMIT, user=request.citizen)
    page = client.get("/dev/inbox/").content.decode()
    assert page.count("aigerim@example.kz") == 1
    assert page.count("+77011234567") == 1
    assert request.reference in page
    assert "Справка" in page


def test_the_dev_inbox_does_not_exist_when_debug_is_off(client, settings):
    settings.DEBUG = False
    assert client.get("/dev/inbox/").status_code == 404
