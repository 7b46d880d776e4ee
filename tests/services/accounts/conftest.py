import pytest

from services.notifications.sms import LocmemSmsBackend


@pytest.fixture
def sms_outbox(settings):
    """SMS are kept in memory; the list of messages sent during the test."""
    settings.SMS_BACKEND = "services.notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.reset()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.reset()
