"""The outbox handlers for the "email" and "sms" side effects (imported by the app's ready()).

Messages go out with their notification's idempotency key, so their rows commit without waiting
for the disk (`wait_for_disk=False`): a commit lost in a database crash leads to a resend with the
same key, as a worker dying between sending and committing already does.
"""

from services.notifications.models import Notification
from services.notifications.service import notification_deliver, notification_give_up
from services.workflow.models import SideEffect
from services.workflow.outbox import side_effect_handler


def email_given_up(effect: SideEffect) -> None:
    """The email of an event was never sent: mark its notification failed."""
    notification_give_up(effect=effect, channel=Notification.Channel.EMAIL)


def sms_given_up(effect: SideEffect) -> None:
    """The SMS of an event was never sent: mark its notification failed."""
    notification_give_up(effect=effect, channel=Notification.Channel.SMS)


@side_effect_handler("email", on_give_up=email_given_up, wait_for_disk=False)
def email_effect(effect: SideEffect) -> None:
    """Send the email that belongs to the effect's event, once."""
    notification_deliver(effect=effect, channel=Notification.Channel.EMAIL)


@side_effect_handler("sms", on_give_up=sms_given_up, wait_for_disk=False)
def sms_effect(effect: SideEffect) -> None:
    """Send the SMS that belongs to the effect's event, once."""
    notification_deliver(effect=effect, channel=Notification.Channel.SMS)
