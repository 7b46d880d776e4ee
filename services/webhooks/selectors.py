"""Reads: a client's subscriptions and the attempts log of one of them."""

from django.db.models import QuerySet

from services.consents.models import ThirdPartyClient
from services.consents.selectors import requests_readable_by
from services.webhooks.models import DeliveryAttempt, Subscription


def subscriptions_of(client: ThirdPartyClient) -> QuerySet[Subscription]:
    """The client's active subscriptions (deleted ones are history, seen in the admin only)."""
    return Subscription.objects.filter(client=client, deleted_at__isnull=True)


def attempts_of(subscription: Subscription) -> QuerySet[DeliveryAttempt]:
    """The attempts to deliver to the subscription, with their delivery and event, of requests its
    client may still read (a revoked consent hides the log of that citizen's requests too)."""
    readable = requests_readable_by(subscription.client.user).values("pk")
    return DeliveryAttempt.objects.filter(
        delivery__subscription=subscription, delivery__event__request__in=readable
    ).select_related("delivery__event__request")
