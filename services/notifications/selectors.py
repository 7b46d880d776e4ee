"""Reading the messages the portal sent."""

from django.db.models import QuerySet

from services.accounts.models import User
from services.notifications.messages import Audience, actions_written_to
from services.notifications.models import Notification


def notifications_for_citizen(*, citizen: User) -> QuerySet[Notification]:
    """The email and SMS sent to the citizen about their requests, newest first.

    Messages on their requests written to someone else (the owner's consent code) are left out.
    """
    return (
        Notification.objects.filter(
            request__citizen=citizen,
            event__action__in=actions_written_to(Audience.CITIZEN),
            status=Notification.Status.SENT,
        )
        .select_related("request__service")
        .order_by("-created_at", "-pk")
    )
