"""The apply flow end to end: start, the question pages, check your answers, submit, confirmation."""

import json

import pytest
from django.utils.dateformat import format as format_date

from services.catalogue.loading import schema_digest
from services.catalogue.models import FormVersion, Service
from services.registries import demo
from services.registries.prefill import prefill_for
from services.workflow.models import ServiceRequest
from services.workflow.states import State
from tests.portal.apply.support import check_url, citizen_actions, done_url, html, page_url, start
from tests.uploads import pdf

pytestmark = pytest.mark.django_db

RESIDENCE = {
    "address": {
        "address": "г. Алматы, ул. Жибек жолы, д. 50, кв. 12",
        "registration_type": "temporary",
        "temporary_until": "2027-03-01",
    },
    "owner": {"owner_iin": demo.HOME_OWNER},
}


def _save(client, draft, page, answers, returning=False):
    return client.post(page_url(draft, page, returning), answers)


def test_the_start_page_alone_starts_nothing(as_citizen):
    response = as_citizen.get("/services/residence-registration/apply/")
    assert response.status_code == 200
    assert 'name="action" value="start"' in html(response)
    assert "portal/portal.css" in html(response)
    assert not ServiceRequest.objects.exists()


def test_a_multi_page_service_walked_end_to_end(as_citizen):
    draft, first = start(as_citizen, "residence-registration")
    assert first == page_url(draft, "address")
    assert as_citizen.get(first).status_code == 200

    response = _save(as_citizen, draft, "address", RESIDENCE["address"])
    assert response["Location"] == page_url(draft, "owner")
    response = _save(as_citizen, draft, "owner", RESIDENCE["owner"])
    assert response["Location"] == check_url(draft)

    check = html(as_citizen.get(check_url(draft)))
    assert "Адрес регистрации" in check
    assert "г. Алматы, ул. Жибек жолы, д. 50, кв. 12" in check
    assert "Временная" in check  # the option's label, not "temporary"
    assert "01.03.2027" in check  # the date as people write it
    assert f'href="{page_url(draft, "owner", returning=True)}#f-owner_iin"' in check

    response = as_citizen.post(check_url(draft), {"declaration": "yes"})
    assert response["Location"] == done_url(draft)
    draft.refresh_from_db()
    assert draft.state != State.DRAFT
    assert draft.form_data == {**RESIDENCE["address"], **RESIDENCE["owner"]}
    assert citizen_actions(draft) == ["started", "step_saved", "step_saved", "submit"]


def test_a_one_page_service_walked_end_to_end(as_citizen):
    draft, first = start(as_citizen, "criminal-record-certificate")
    page = html(as_citizen.get(first))
    assert '<option value="employment">Для трудоустройства</option>' in page
    assert "Страна, для которой нужен апостиль" in page

    response = as_citizen.post(first, {"purpose": "employment", "apostille_country": ""})
    assert response["Location"] == check_url(draft)
    assert "Для трудоустройства" in html(as_citizen.get(check_url(draft)))
    assert as_citizen.post(check_url(draft), {"declaration": "yes"})["Location"] == done_url(draft)

    draft.refresh_from_db()
    assert draft.form_data == {"purpose": "employment"}
    assert citizen_actions(draft) == ["started", "step_saved", "submit"]


def test_the_confirmation_shows_the_reference_and_the_deadline(as_citizen):
    draft, _ = start(as_citizen, "vehicle-registration")
    region = prefill_for(citizen=draft.citizen, form=draft.form_version)["registration_region"]
    _save(
        as_citizen,
        draft,
        "vehicle",
        {"vin": demo.CLEAN_VIN, "make_model": "Lada Granta", "year_of_manufacture": "2019"},
    )
    _save(as_citizen, draft, "ownership", {"ownership_basis": "purchase", "previous_owner_iin": ""})
    _save(as_citizen, draft, "plates", {"plate_option": "new_standard", "registration_region": region})
    _save(as_citizen, draft, "documents", {"technical_passport": pdf("passport.pdf"), "ownership_proof": pdf()})
    as_citizen.post(check_url(draft), {"declaration": "yes"})

    draft.refresh_from_db()
    assert draft.form_data["year_of_manufacture"] == 2019  # typed as the schema says
    done = html(as_citizen.get(done_url(draft)))
    assert 'class="panel"' in done
    assert draft.reference in done
    assert format_date(draft.deadline, "d.m.Y") in done


def test_a_submitted_requests_pages_lead_to_its_confirmation(as_citizen):
    draft, first = start(as_citizen, "criminal-record-certificate")
    as_citizen.post(first, {"purpose": "visa_travel"})
    as_citizen.post(check_url(draft), {"declaration": "yes"})
    for url in (first, check_url(draft)):
        assert as_citizen.get(url)["Location"] == done_url(draft)
        assert as_citizen.post(url, {"purpose": "other", "declaration": "yes"})["Location"] == done_url(draft)
    assert citizen_actions(draft) == ["started", "step_saved", "submit"]


def test_the_confirmation_of_a_draft_sends_back_to_check_your_answers(as_citizen):
    draft, _ = start(as_citizen, "criminal-record-certificate")
    assert as_citizen.get(done_url(draft))["Location"] == check_url(draft)


def test_a_saved_draft_is_listed_and_resumed_where_the_citizen_stopped(as_citizen):
    draft, _ = start(as_citizen, "residence-registration")
    _save(as_citizen, draft, "address", RESIDENCE["address"])

    page = html(as_citizen.get("/services/residence-registration/apply/"))
    assert 'id="my-drafts"' in page
    assert draft.reference in page
    response = as_citizen.post(
        "/services/residence-registration/apply/", {"action": "resume", "reference": draft.reference}
    )
    assert response["Location"] == page_url(draft, "owner")
    assert 'value="г. Алматы, ул. Жибек жолы' not in html(as_citizen.get(page_url(draft, "owner")))
    assert "г. Алматы, ул. Жибек жолы, д. 50, кв. 12</textarea>" in html(as_citizen.get(page_url(draft, "address")))

    _save(as_citizen, draft, "owner", RESIDENCE["owner"])
    as_citizen.post(check_url(draft), {"declaration": "yes"})
    assert citizen_actions(draft) == ["started", "step_saved", "resumed", "step_saved", "submit"]
    assert ServiceRequest.objects.count() == 1


def test_resuming_a_draft_with_every_page_saved_goes_to_check_your_answers(as_citizen):
    draft, first = start(as_citizen, "criminal-record-certificate")
    as_citizen.post(first, {"purpose": "employment"})
    response = as_citizen.post(
        "/services/criminal-record-certificate/apply/", {"action": "resume", "reference": draft.reference}
    )
    assert response["Location"] == check_url(draft)


def test_starting_again_leaves_the_old_draft_and_opens_a_new_one(as_citizen):
    old, _ = start(as_citizen, "criminal-record-certificate")
    new, _ = start(as_citizen, "criminal-record-certificate")
    assert old.pk != new.pk
    assert citizen_actions(old) == ["started"]
    assert citizen_actions(new) == ["started"]


def test_a_draft_keeps_the_questions_of_the_form_it_was_started_on(as_citizen):
    service = Service.objects.get(code="criminal-record-certificate")
    draft, first = start(as_citizen, service.code)
    new_schema = json.loads(json.dumps(service.form.schema))
    new_schema["properties"]["purpose"]["x-label"]["ru"] = "Новый вопрос о цели"
    new_schema["properties"]["purpose"]["x-page"] = "reason"
    new_schema["properties"]["apostille_country"]["x-page"] = "reason"
    new_schema["x-pages"][0]["id"] = "reason"
    version = FormVersion.objects.create(
        service=service, version=2, schema=new_schema, digest=schema_digest(new_schema)
    )
    service.form = version
    service.save(update_fields=["form"])

    page = html(as_citizen.get(first))
    assert "Для чего нужна справка?" in page
    assert "Новый вопрос о цели" not in page
    assert as_citizen.get(page_url(draft, "reason")).status_code == 404
    as_citizen.post(first, {"purpose": "employment"})
    assert "Для чего нужна справка?" in html(as_citizen.get(check_url(draft)))
    assert as_citizen.post(check_url(draft), {"declaration": "yes"})["Location"] == done_url(draft)

    newer, first_of_newer = start(as_citizen, service.code)
    assert newer.form_version == version
    assert first_of_newer == page_url(newer, "reason")
