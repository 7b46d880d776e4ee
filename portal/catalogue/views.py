"""The catalogue (/services/) and a service's passport (/services/<code>/)."""

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from portal.formatting import duration_text, fee_text
from services.catalogue.forms import page_fields
from services.catalogue.models import Service
from services.catalogue.selectors import (
    agencies_with_counts,
    life_events_with_counts,
    service_passport,
    services_search,
)
from services.i18n import current_language, pick

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Search:
    """What the reader asked the catalogue for, read from the query string."""

    text: str
    agency: str | None
    life_event: str | None

    @classmethod
    def from_query(cls, query: QueryDict) -> "Search":
        return cls(
            text=" ".join(query.get("q", "").split())[:MAX_QUERY_LENGTH],
            agency=query.get("agency") or None,
            life_event=query.get("life_event") or None,
        )

    def url(self, **changes: str | None) -> str:
        """The catalogue URL of this search with some parameters changed (None drops one)."""
        params = {"q": self.text, "agency": self.agency, "life_event": self.life_event} | changes
        query = urlencode({key: value for key, value in params.items() if value})
        return f"?{query}" if query else "?"


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    search = Search.from_query(request.GET)
    language = current_language()
    agencies = list(
        agencies_with_counts(text=search.text, life_event=search.life_event, selected=search.agency, language=language)
    )
    events = list(
        life_events_with_counts(text=search.text, agency=search.agency, selected=search.life_event, language=language)
    )
    agency = next((a for a in agencies if a.code == search.agency), None)
    event = next((e for e in events if e.code == search.life_event), None)
    if (search.agency and agency is None) or (search.life_event and event is None):
        # An unknown code (an old or mistyped link) would hide every result behind a filter the page cannot show.
        return redirect(
            request.path + search.url(agency=agency and agency.code, life_event=event and event.code).removesuffix("?")
        )
    results = services_search(text=search.text, agency=search.agency, life_event=search.life_event, language=language)
    context = {
        "search": search,
        "results": [_result(service, language) for service in results],
        "agency": agency,
        "event": event,
        "agency_options": [_option(a, a.code == search.agency, search.url(agency=a.code)) for a in agencies],
        "event_options": [_option(e, e.code == search.life_event, search.url(life_event=e.code)) for e in events],
        "remove_agency_url": search.url(agency=None),
        "remove_event_url": search.url(life_event=None),
    }
    return render(request, "portal/catalogue/catalogue.html", context)


@require_GET
def passport(request: HttpRequest, code: str) -> HttpResponse:
    service = service_passport(code)
    if service is None:
        raise Http404("No such service.")
    language = current_language()
    context = {
        "service": service,
        "fee": fee_text(service.fee_kzt, language),
        "target": duration_text(service.service_target),
        "documents": [pick(document["name"], language) for document in service.required_documents],
        "grounds": [pick(ground["text"], language) for ground in service.refusal_grounds],
        "in_person_steps": [pick(step["text"], language) for step in service.in_person_steps],
        "pages": _form_pages(service, language),
        "start_url": f"/services/{service.code}/apply/",
    }
    return render(request, "portal/catalogue/passport.html", context)


def _result(service: Service, language: str) -> dict[str, Any]:
    return {"service": service, "fee": fee_text(service.fee_kzt, language)}


def _option(item: Any, selected: bool, url: str) -> dict[str, Any]:
    return {"name": item.name, "count": item.matching, "selected": selected, "url": url}


def _form_pages(service: Service, language: str) -> list[dict[str, Any]]:
    """The form's pages with the questions on each, so the reader knows what to have at hand."""
    if service.form is None:
        return []
    schema = service.form.schema
    return [
        {
            "title": pick(page["title"], language),
            "questions": [
                pick(schema["properties"][name]["x-label"], language) for name in page_fields(schema, page["id"])
            ],
        }
        for page in schema["x-pages"]
    ]
