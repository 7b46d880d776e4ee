import logging

import pytest

from services.notifications.sms import LocmemSmsBackend, LogSmsBackend, SmsError, sms_backend, sms_send


def test_the_backend_is_the_one_in_the_settings(settings):
    assert isinstance(sms_backend(), LocmemSmsBackend)
    settings.SMS_BACKEND = "services.notifications.sms.LogSmsBackend"
    assert isinstance(sms_backend(), LogSmsBackend)


def test_the_locmem_backend_keeps_a_message_once_per_idempotency_key():
    first = sms_send(phone="+77011112233", text="one", idempotency_key="k-1")
    again = sms_send(phone="+77011112233", text="one", idempotency_key="k-1")
    other = sms_send(phone="+77011112233", text="two", idempotency_key="k-2")
    assert first == again != other
    assert [(m.text, m.idempotency_key) for m in LocmemSmsBackend.outbox] == [("one", "k-1"), ("two", "k-2")]


def test_the_locmem_backend_can_be_made_to_fail():
    LocmemSmsBackend.failing = True
    with pytest.raises(SmsError):
        sms_send(phone="+77011112233", text="one", idempotency_key="k-1")
    assert LocmemSmsBackend.outbox == []


def test_the_log_backend_logs_the_message_and_returns_an_id(caplog):
    with caplog.at_level(logging.INFO, logger="services.notifications.sms"):
        message_id = LogSmsBackend().send(phone="+77011112233", text="Сәлем", idempotency_key="k-1")
    assert message_id == "log-k-1"
    assert "+77011112233" in caplog.text
    assert "Сәлем" in caplog.text
