"""The permission matrix: every operation of the OpenAPI document, as every kind of caller.

Generated from the schema the URL configuration produces, so a new endpoint is covered without
editing this test. Another person's objects are 404 whatever the method; lists never show them.
The officers' queue is for verified staff only (citizens 403), and another agency's request is 404.
A bank the owner gave consent reads the owner's request (list, detail, timeline) and nothing more;
a bank without consent is any other caller. Webhooks are for third-party clients only (citizens and
staff 403); the subscription belongs to the bank with consent, so the other bank gets 404.
"""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from services.apiclients.tokens import token_create
from services.attachments.models import Purpose as AttachmentPurpose
from services.attachments.service import attachment_upload
from services.consents.models import Purpose
from services.consents.service import consent_give
from services.documents.service import document_issue
from services.webhooks.service import subscription_create
from services.workflow.states import State
from tests.factories import ServiceRequestFactory, StaffFactory, ThirdPartyClientFactory, UserFactory
from tests.portal.api.conftest import session, staff_session
from tests.uploads import pdf

pytestmark = pytest.mark.django_db

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
OPERATIONS = [
    (method.upper(), path, operation)
    for path, methods in SCHEMA["paths"].items()
    for method, operation in methods.items()
]
ACTORS = [
    "anonymous",
    "owner",
    "other_citizen",
    "clerk_of_agency",
    "clerk_of_other_agency",
    "bank_with_consent",
    "bank_without_consent",
]
# Path parameters that name something that belongs to one person.
OWNED = {"reference", "id", "consent", "webhook"}
# What a bank with the owner's standing consent may read of the owner's.
CONSENTED_READS = {"requests_list", "requests_retrieve", "requests_timeline"}
STAFF = ("clerk_of_agency", "clerk_of_other_agency")
QUEUE = "/api/v1/queue/"
WEBHOOKS = "/api/v1/webhooks/"
CLIENTS = ("bank_with_consent", "bank_without_consent")


@pytest.fixture
def world(service, settings):
    """The owner's request (information requested, with a document), the owner's token, the consenting
    bank's webhook subscription, and the callers."""
    owner = UserFactory()
    request = ServiceRequestFactory(citizen=owner, service=service, submitted=True, state=State.APPROVED)
    document = document_issue(request=request)
    request.state = State.INFO_REQUESTED
    request.save()
    attachment = attachment_upload(request=request, user=owner, file=pdf(), purpose=AttachmentPurpose.RESPONSE)
    token, _secret = token_create(user=owner, name="owner's")
    bank, other_bank = ThirdPartyClientFactory(), ThirdPartyClientFactory()
    consent = consent_give(citizen=owner, client=bank, purpose=Purpose.READ_REQUESTS)
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    webhook, _secret = subscription_create(client=bank, url="http://127.0.0.1/hooks", states=[])
    people = {
        "owner": owner,
        "other_citizen": UserFactory(),
        "clerk_of_agency": StaffFactory(agency=service.agency),
        "clerk_of_other_agency": StaffFactory(),
        "bank_with_consent": bank.user,
        "bank_without_consent": other_bank.user,
    }
    values = {
        "reference": request.reference,
        "id": str(token.pk),
        "consent": str(consent.pk),
        "webhook": str(webhook.pk),
        "code": service.code,
    }
    return {
        "people": people,
        "values": values,
        "request": request,
        "token": token,
        "document": document,
        "attachment": attachment,
    }


def _url(path, world, operation):
    values = dict(world["values"])
    if operation["operationId"] == "documents_verify":
        values["code"] = world["document"].verification_code
    if operation["operationId"] == "requests_attachment_download":
        values["id"] = str(world["attachment"].public_id)
    return re.sub(r"\{(\w+)\}", lambda match: values[match.group(1)], path)


def _call(client, method, url):
    return getattr(client, method.lower())(url, {}, format="json") if method != "GET" else client.get(url)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_permission_matrix(world, actor, method, path, operation):
    public = {} in operation.get("security", [])
    response = _call(_client(world, actor), method, _url(path, world, operation))
    status = response.status_code
    assert status < 500, response.content
    owned = bool(OWNED & set(re.findall(r"\{(\w+)\}", path)))
    consented = actor == "bank_with_consent" and operation["operationId"] in CONSENTED_READS
    if consented:
        assert status == 200, response.content
        assert world["request"].reference in response.content.decode() or path.endswith("/timeline/")
    elif path.startswith(QUEUE):
        _check_queue(world, actor, owned, response)
    elif path.startswith(WEBHOOKS):
        _check_webhooks(actor, owned, response)
    elif public:
        assert status < 400, response.content
    elif actor == "anonymous":
        assert status == 401
    elif owned and actor != "owner":
        assert status == 404, response.content
    else:
        assert status not in (401, 404), response.content
    if (
        method == "GET"
        and status == 200
        and actor not in ("owner", "anonymous")
        and not consented
        and not public
        and not path.startswith(QUEUE)
        and not path.startswith(WEBHOOKS)
    ):
        body = response.content.decode()
        assert world["request"].reference not in body
        assert f'"id":{world["token"].pk},' not in body.replace(" ", "")


def _client(world, actor):
    if actor == "anonymous":
        return APIClient()
    person = world["people"][actor]
    return staff_session(person) if actor in STAFF else session(person)


def _check_queue(world, actor, owned, response):
    """The queue's operations: staff of the request's agency only; another agency's request is 404."""
    status = response.status_code
    if actor == "anonymous":
        assert status == 401
    elif actor not in STAFF:
        assert status == 403, response.content
    elif actor == "clerk_of_other_agency" and owned:
        assert status == 404, response.content
    elif actor == "clerk_of_other_agency":
        assert status == 200, response.content
        assert world["request"].reference not in response.content.decode()
    else:
        assert status not in (401, 403, 404), response.content


def _check_webhooks(actor, owned, response):
    """The webhooks' operations: clients only; the other client's subscription is 404."""
    status = response.status_code
    if actor == "anonymous":
        assert status == 401
    elif actor not in CLIENTS:
        assert status == 403, response.content
    elif actor == "bank_without_consent" and owned:
        assert status == 404, response.content
    else:
        assert status not in (401, 403, 404), response.content


def test_the_matrix_covers_every_operation():
    operation_ids = {operation["operationId"] for _method, _path, operation in OPERATIONS}
    assert {
        "requests_list",
        "requests_withdraw",
        "requests_document",
        "requests_attachments",
        "requests_attachment_upload",
        "requests_attachment_download",
        "tokens_revoke",
        "consents_give",
        "consents_revoke",
        "services_list",
        "queue_list",
        "queue_retrieve",
        "queue_claim",
        "queue_request_info",
        "queue_approve",
        "queue_reject",
        "queue_reassign",
        "queue_notes",
        "queue_note_add",
        "queue_officers",
        "webhooks_list",
        "webhooks_create",
        "webhooks_retrieve",
        "webhooks_delete",
        "webhooks_deliveries",
    } <= operation_ids
