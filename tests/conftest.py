import os

import dj_database_url
import pytest
from celery import current_app
from django.db import connection


@pytest.fixture(scope="session", autouse=True)
def _the_run_uses_the_servers_it_asked_for(django_db_setup, django_db_blocker):
    """A run with DATABASE_URL / CELERY_BROKER_URL set must really be on those servers, never a fallback."""
    wanted = dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite:///embedded.sqlite3"))
    assert connection.settings_dict["ENGINE"] == wanted["ENGINE"], "the tests are not on the database asked for"
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("SELECT inet_server_port()")
            assert str(cursor.fetchone()[0]) == str(wanted["PORT"] or 5432)
    broker = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    assert current_app.conf.broker_url.split(":")[0] == broker.split(":")[0]
    if broker.startswith("redis"):
        from services.ops.service import broker_reachable

        assert broker_reachable(), f"Redis at {broker} cannot be reached"


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Unit tests run dispatched tasks in-process; reliability tests use a real worker instead."""
    if request.node.get_closest_marker("reliability"):
        yield
        return
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = False


@pytest.fixture
def sms_outbox(settings):
    """SMS are kept in memory, the list emptied for the test; the messages sent during it."""
    from services.notifications.sms import LocmemSmsBackend

    settings.SMS_BACKEND = "services.notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.reset()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.reset()
