import pytest
from django.core import mail

from services.workflow import outbox
from services.workflow.outbox import Registration
from services.workflow.states import EFFECTS, Action, Channel
from services.workflow.transitions import transition


@pytest.fixture(autouse=True)
def backends(settings, sms_outbox):
    """Both backends keep messages in memory, emptied for every test."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


@pytest.fixture(autouse=True)
def only_notification_handlers(monkeypatch):
    """The real email and SMS handlers; the other kinds (process, document) do nothing here, so the
    messages a test sees are those of the events it makes."""
    kinds = {kind for effects in EFFECTS.values() for kind in effects}
    handlers = {kind: Registration(run=lambda effect: None) for kind in kinds}
    handlers["email"] = outbox._HANDLERS["email"]
    handlers["sms"] = outbox._HANDLERS["sms"]
    monkeypatch.setattr(outbox, "_HANDLERS", handlers)


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Take an action through the workflow, then run its side effects as the worker would (in-process)."""

    def act(request, action: Action, user=None, **kwargs):
        channel = Channel.SYSTEM if user is None else Channel.WEB
        with django_capture_on_commit_callbacks(execute=True):
            return transition(request=request, action=action, user=user, channel=channel, **kwargs)

    return act
