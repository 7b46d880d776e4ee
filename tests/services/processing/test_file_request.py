import pytest
from django.core.management import CommandError, call_command

from services.catalogue.forms import coerce_answers
from services.catalogue.loading import catalogue_load_file
from services.registries import demo
from services.workflow.models import RequestEvent, ServiceRequest
from services.workflow.outbox import outbox_drain
from services.workflow.states import State
from tests.factories import FORM_SCHEMA, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    catalogue_load_file()
    return UserFactory(iin=demo.CITIZEN)


def test_the_command_files_page_by_page_and_the_request_is_processed(citizen, capsys):
    call_command("file_request", iin=citizen.iin, service="criminal-record-certificate", answer=["purpose=employment"])
    request = ServiceRequest.objects.get(citizen=citizen)
    assert f"Submitted {request.reference}" in capsys.readouterr().out
    assert list(RequestEvent.objects.filter(request=request).values_list("action", flat=True)) == [
        "started",
        "step_saved",
        "submit",
    ]
    assert request.channel == "assisted"
    outbox_drain()
    request.refresh_from_db()
    assert request.state == State.ISSUED


def test_a_bad_answer_keeps_the_draft_and_says_which_field(citizen):
    with pytest.raises(CommandError) as refused:
        call_command("file_request", iin=citizen.iin, service="criminal-record-certificate", answer=["purpose=fun"])
    assert "purpose:" in str(refused.value)
    assert ServiceRequest.objects.get(citizen=citizen).state == State.DRAFT


def test_answers_typed_as_text_get_the_fields_types():
    schema = {**FORM_SCHEMA, "properties": {**FORM_SCHEMA["properties"], "count": {"type": "integer"}}}
    assert coerce_answers(schema, {"count": " 4 ", "purpose": "work", "phone": ""}) == {"count": 4, "purpose": "work"}
    assert coerce_answers(schema, {"count": "four"}) == {"count": "four"}
