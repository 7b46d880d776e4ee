"""The notification inbox: the citizen's own messages, newest first, a page at a time, linked to the request."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from services.notifications.models import Notification
from services.workflow.states import Action, State
from tests.factories import ServiceRequestFactory, UserFactory
from tests.portal.tracking.support import add_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    return UserFactory()


@pytest.fixture
def browser(citizen):
    client = Client()
    client.force_login(citizen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _message(request, body, *, action=Action.SUBMIT, channel=Notification.Channel.SMS, minutes=0, status="sent"):
    event = add_event(request, action, from_state=State.DRAFT, to_state=State.SUBMITTED)
    notification = Notification.objects.create(
        request=request,
        event=event,
        channel=channel,
        recipient="+77011234567",
        language="en",
        subject="Subject" if channel == Notification.Channel.EMAIL else "",
        body=body,
        status=status,
        idempotency_key=f"test-{event.pk}-{channel}",
    )
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() + timedelta(minutes=minutes))
    return notification


def test_the_citizen_sees_their_messages_newest_first_with_a_link_to_the_request(browser, citizen):
    request = ServiceRequestFactory(citizen=citizen, submitted=True)
    _message(request, "Older message", minutes=1)
    _message(request, "Newer message", channel=Notification.Channel.EMAIL, minutes=2)
    _message(ServiceRequestFactory(submitted=True), "Someone else's message")
    _message(request, "Consent code 1234 for the owner", action=Action.AWAIT_CONSENT)
    _message(request, "Never delivered", status=Notification.Status.FAILED)
    page = browser.get("/notifications/").content.decode()
    assert page.index("Newer message") < page.index("Older message")
    assert f'href="/requests/{request.reference}/"' in page
    assert "Email" in page and "SMS" in page
    for hidden in ("Someone else's message", "Consent code 1234", "Never delivered"):
        assert hidden not in page
    assert 'href="/notifications/"' in page  # in the header


def test_the_inbox_is_paginated(browser, citizen):
    request = ServiceRequestFactory(citizen=citizen, submitted=True)
    for number in range(25):
        _message(request, f"Message number {number:02d}.", minutes=number)
    first = browser.get("/notifications/").content.decode()
    assert "Message number 24." in first and "Message number 04." not in first
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    second = browser.get("/notifications/?page=2").content.decode()
    assert "Message number 04." in second and "Message number 24." not in second


def _queries(browser):
    with CaptureQueriesContext(connection) as queries:
        assert browser.get("/notifications/").status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_number_of_messages(browser, citizen, django_assert_max_num_queries):
    _message(ServiceRequestFactory(citizen=citizen, submitted=True), "One")
    with_one = _queries(browser)
    for number in range(15):
        _message(ServiceRequestFactory(citizen=citizen, submitted=True), f"Message {number}")
    with django_assert_max_num_queries(with_one):
        assert browser.get("/notifications/").status_code == 200
