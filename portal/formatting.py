"""Money and durations worded for the reader's language."""

from datetime import timedelta

from django.utils.formats import get_format
from django.utils.translation import gettext, ngettext


def fee_text(fee_kzt: int, language: str) -> str:
    """ "Free" for 0, else the amount grouped by thousands with the tenge sign: "3 450 ₸", "3,450 ₸"."""
    if fee_kzt == 0:
        return gettext("Free")
    grouped = f"{fee_kzt:,}".replace(",", get_format("THOUSAND_SEPARATOR", lang=language))
    return f"{grouped}\N{NO-BREAK SPACE}₸"


def duration_text(duration: timedelta) -> str:
    """A duration in days, hours and minutes, largest first, leaving out zero parts: "1 hour 30 minutes"."""
    minutes = max(int(duration.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes or not parts:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes})
    return " ".join(parts)
