"""Walking the apply pages as a browser would."""

from services.workflow.models import RequestEvent, ServiceRequest
from services.workflow.states import ActorKind


def start(client, code):
    """Press "Start now"; return the new draft and the URL of its first page."""
    response = client.post(f"/services/{code}/apply/", {"action": "start"})
    assert response.status_code == 302
    return ServiceRequest.objects.latest("pk"), response["Location"]


def page_url(draft, page, returning=False):
    url = f"/services/{draft.service.code}/apply/{draft.reference}/{page}/"
    return url + "?return=check" if returning else url


def check_url(draft):
    return f"/services/{draft.service.code}/apply/{draft.reference}/check/"


def done_url(draft):
    return f"/services/{draft.service.code}/apply/{draft.reference}/done/"


def citizen_actions(draft):
    """The events the citizen's own moves recorded, in order (system events after submit left out)."""
    events = RequestEvent.objects.filter(request=draft, actor_kind=ActorKind.CITIZEN).order_by("sequence")
    return list(events.values_list("action", flat=True))


def html(response):
    return response.content.decode()
