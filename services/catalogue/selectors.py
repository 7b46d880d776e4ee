"""Reading the catalogue: search, filters with counts, and one service's passport.

Search compares the normalized words of a query with the service's search column in one language
(see `search_normalize`), so it folds case in every script on SQLite and PostgreSQL alike.
Every function here runs a fixed number of queries, however many services the catalogue holds.
"""

from django.db.models import Count, Q, QuerySet

from services.catalogue.models import Agency, LifeEvent, Service, search_words
from services.i18n import LANGUAGES

# Only searched, never shown: not worth carrying into every page.
_SEARCH_COLUMNS = tuple(f"search_{lang}" for lang in LANGUAGES)
# A longer query is cut: every word is one more condition on the query, and nobody types 12.
MAX_SEARCH_WORDS = 12


def services_open_for_requests() -> QuerySet[Service]:
    """The services a request can be started for (active, with a form), each with its current form."""
    return Service.objects.filter(active=True, form__isnull=False).select_related("form")


def services_search(
    *, text: str = "", agency: str | None = None, life_event: str | None = None, language: str
) -> QuerySet[Service]:
    """Active services whose `language` texts contain every word of `text`, optionally of one agency and life event.

    `agency` and `life_event` are codes. Ordered by name in `language`, with the agency joined in.
    """
    return (
        _matching(text=text, agency=agency, life_event=life_event, language=language)
        .select_related("agency")
        .defer(*_SEARCH_COLUMNS)
        .order_by(f"name_{language}", "code")
    )


def agencies_with_counts(
    *, text: str = "", life_event: str | None = None, selected: str | None = None, language: str
) -> QuerySet[Agency]:
    """Agencies with at least one service matching the search (or the `selected` one), each with `.matching`.

    `.matching` counts the active services the search and the life event filter find at that agency,
    so each option says how many results choosing it gives.
    """
    matching = _matching(text=text, life_event=life_event, language=language)
    return (
        Agency.objects.annotate(matching=Count("services", filter=Q(services__in=matching.values("pk"))))
        .filter(Q(matching__gt=0) | Q(code=selected or ""))
        .order_by(f"name_{language}", "code")
    )


def life_events_with_counts(
    *, text: str = "", agency: str | None = None, selected: str | None = None, language: str
) -> QuerySet[LifeEvent]:
    """Life events with at least one service matching the search (or the `selected` one), each with `.matching`.

    `.matching` counts the active services the search and the agency filter find for that event.
    """
    matching = _matching(text=text, agency=agency, language=language)
    return (
        LifeEvent.objects.annotate(matching=Count("services", filter=Q(services__in=matching.values("pk"))))
        .filter(Q(matching__gt=0) | Q(code=selected or ""))
        .order_by(f"name_{language}", "code")
    )


def life_events_with_services(*, language: str) -> QuerySet[LifeEvent]:
    """Life events that group at least one active service, each with `.matching` (how many), by name."""
    return (
        LifeEvent.objects.annotate(matching=Count("services", filter=Q(services__active=True)))
        .filter(matching__gt=0)
        .order_by(f"name_{language}", "code")
    )


def services_count() -> int:
    """How many services the catalogue offers (the active ones)."""
    return Service.objects.filter(active=True).count()


def service_passport(code: str) -> Service | None:
    """The active service with this code, with its agency, current form and life events; None if there is none."""
    return (
        Service.objects.select_related("agency", "form")
        .prefetch_related("life_events")
        .defer(*_SEARCH_COLUMNS)
        .filter(code=code, active=True)
        .first()
    )


def _matching(
    *, text: str = "", agency: str | None = None, life_event: str | None = None, language: str
) -> QuerySet[Service]:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    services = Service.objects.filter(active=True)
    for word in search_words(text)[:MAX_SEARCH_WORDS]:
        services = services.filter(**{f"search_{language}__contains": word})
    if agency:
        services = services.filter(agency__code=agency)
    if life_event:
        # A code names one event, so the join cannot repeat a service.
        services = services.filter(life_events__code=life_event)
    return services
