"""Reads: a client's subscriptions and the attempts log of one of them."""

from django.db.models import QuerySet

from services.consents.models import ThirdPartyClient
from services.webhooks.models import DeliveryAttempt, Subscription


def subscriptions_of(client: ThirdPartyClient) -> QuerySet[Subscription]:
    """The client's active subscriptions (deleted ones are history, seen in the admin only)."""
    return Subscription.objects.filter(client=client, deleted_at__isnull=True)


def attempts_of(subscription: Subscription) -> QuerySet[DeliveryAttempt]:
    """Every attempt to deliver to the subscription, with its delivery and event, newest first."""
    return DeliveryAttempt.objects.filter(delivery__subscription=subscription).select_related(
        "delivery__event__request"
    )
