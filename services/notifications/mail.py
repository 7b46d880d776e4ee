"""Sending email through Django's configured backend (`settings.EMAIL_BACKEND`)."""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage

IDEMPOTENCY_HEADER = "X-Idempotency-Key"


def email_message_id(idempotency_key: str) -> str:
    """The Message-ID of the email with this key: the same on every resend, so one can be recognised."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{idempotency_key}@{domain}>"


def email_send(*, to: str, subject: str, body: str, language: str, idempotency_key: str) -> str:
    """Send one plain-text email; return its Message-ID (the id a reply or a bounce refers to)."""
    message_id = email_message_id(idempotency_key)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id, IDEMPOTENCY_HEADER: idempotency_key, "Content-Language": language},
    )
    message.send(fail_silently=False)
    return message_id
