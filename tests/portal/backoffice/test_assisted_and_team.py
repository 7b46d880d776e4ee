"""Assisted filing at the counter, and the supervisor's team view with bulk reassigning."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from services.accounts.iin import make_iin
from services.accounts.models import User
from services.attachments.models import Attachment, Purpose
from services.attachments.service import attachment_upload
from services.backoffice.assisted import assisted_draft_start
from services.catalogue.models import Service
from services.registries.population import person
from services.workflow.models import RequestEvent, ServiceRequest
from services.workflow.states import Action, ActorKind, Channel, State
from services.workflow.transitions import NotPermitted
from tests.factories import ServiceRequestFactory, StaffFactory, UserFactory
from tests.otp import verified_client
from tests.uploads import pdf, png

pytestmark = pytest.mark.django_db


def test_a_clerk_files_a_request_for_a_citizen_by_iin(as_clerk, clerk, service):
    iin = make_iin(date(1990, 5, 17), female=True, serial=4242)
    response = as_clerk.post("/backoffice/assisted/", {"iin": iin, "service": service.pk})
    draft = ServiceRequest.objects.get(citizen__iin=iin)
    assert response["Location"] == f"/backoffice/assisted/{draft.reference}/"
    assert draft.filed_by == clerk and draft.channel == Channel.ASSISTED
    assert not User.objects.get(iin=iin).has_usable_password()  # a new person gets an account without a password
    bad = as_clerk.post(f"/backoffice/assisted/{draft.reference}/", {"purpose": "work", "phone": "123"})
    assert bad.status_code == 400 and 'href="#f-phone"' in bad.content.decode()
    as_clerk.post(f"/backoffice/assisted/{draft.reference}/", {"purpose": "work", "phone": "+77011234567"})
    draft.refresh_from_db()
    assert draft.state != State.DRAFT and draft.submitted_at is not None
    submit = RequestEvent.objects.get(request=draft, action=Action.SUBMIT)
    assert submit.actor == clerk and submit.actor_kind == ActorKind.CITIZEN and submit.channel == Channel.ASSISTED


def test_a_new_citizen_gets_the_name_and_phone_the_register_holds(as_clerk, service):
    iin = make_iin(date(1990, 5, 17), female=True, serial=4243)
    as_clerk.post("/backoffice/assisted/", {"iin": iin, "service": service.pk})
    citizen, record = User.objects.get(iin=iin), person(iin)
    assert (citizen.first_name, citizen.last_name, citizen.phone) == (record.first_name, record.last_name, record.phone)
    assert citizen.phone  # so the portal's messages about the request reach them


def test_the_clerk_is_told_when_the_citizen_cannot_be_reached(as_clerk, clerk, service):
    unreachable = UserFactory(email="", phone="")
    as_clerk.post("/backoffice/assisted/", {"iin": unreachable.iin, "service": service.pk})
    draft = ServiceRequest.objects.get(citizen=unreachable)
    page = as_clerk.get(f"/backoffice/assisted/{draft.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "they will get no messages about this request" in page
    reachable = UserFactory(email="someone@example.kz")
    as_clerk.post("/backoffice/assisted/", {"iin": reachable.iin, "service": service.pk})
    draft = ServiceRequest.objects.get(citizen=reachable)
    page = as_clerk.get(f"/backoffice/assisted/{draft.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Request for the citizen" in page and "no messages" not in page
    in_review = ServiceRequestFactory(service=service, citizen=unreachable, in_review=True)
    assert 'id="citizen-unreachable"' in as_clerk.get(f"/backoffice/requests/{in_review.reference}/").content.decode()


def test_an_existing_citizen_keeps_their_account_and_another_clerk_cannot_open_the_draft(as_clerk, service):
    citizen = UserFactory()
    as_clerk.post("/backoffice/assisted/", {"iin": citizen.iin, "service": service.pk})
    draft = ServiceRequest.objects.get(citizen=citizen)
    other = verified_client(StaffFactory(agency=service.agency))
    assert other.get(f"/backoffice/assisted/{draft.reference}/").status_code == 404


def test_an_invalid_iin_is_refused(as_clerk, service):
    response = as_clerk.post("/backoffice/assisted/", {"iin": "123456789012", "service": service.pk})
    assert response.status_code == 200 and not ServiceRequest.objects.exists()


def test_the_team_view_shows_workload_and_reassigns_in_bulk(as_supervisor, clerk, service):
    late = timezone.localdate() - timedelta(days=10)
    overdue = [ServiceRequestFactory(service=service, in_review=True, deadline=late) for _ in range(2)]
    escalated = ServiceRequestFactory(service=service, in_review=True, escalated=True, assignee=clerk)
    page = as_supervisor.get("/backoffice/team/")
    assert page.status_code == 200
    workload = {row.officer: row for row in page.context["workload"]}
    assert (workload[clerk].open, workload[clerk].escalated) == (1, 1)
    response = as_supervisor.post(
        "/backoffice/team/reassign/",
        {"references": [item.reference for item in overdue] + [escalated.reference], "assignee": clerk.pk},
        follow=True,
    )
    assert "3 requests reassigned." in response.content.decode()
    assert set(ServiceRequest.objects.filter(assignee=clerk).values_list("pk", flat=True)) == {
        overdue[0].pk,
        overdue[1].pk,
        escalated.pk,
    }
    workload = {row.officer: row for row in as_supervisor.get("/backoffice/team/").context["workload"]}
    assert (workload[clerk].open, workload[clerk].overdue) == (3, 2)


def test_bulk_reassign_refuses_requests_outside_the_lists(as_supervisor, clerk, service):
    elsewhere = ServiceRequestFactory(in_review=True, deadline=timezone.localdate() - timedelta(days=10))
    response = as_supervisor.post(
        "/backoffice/team/reassign/", {"references": [elsewhere.reference], "assignee": clerk.pk}
    )
    assert response.status_code == 400
    elsewhere.refresh_from_db()
    assert elsewhere.assignee is None


def test_a_clerk_cannot_open_the_team_view(as_clerk):
    assert as_clerk.get("/backoffice/team/").status_code == 403


@pytest.fixture
def birth_registration(db):
    call_command("load_catalogue", verbosity=0)
    return Service.objects.get(code="birth-registration")


CHILD = {
    "child_last_name": "Серикбаев",
    "child_first_name": "Алихан",
    "child_birth_date": "2026-11-20",
    "child_sex": "male",
    "applicant_role": "mother",
    "registry_region": "astana",
}


def test_the_clerk_scans_the_citizens_papers_into_the_request_at_the_counter(birth_registration, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    clerk = StaffFactory(agency=birth_registration.agency)
    counter = verified_client(clerk)
    citizen = UserFactory()
    counter.post("/backoffice/assisted/", {"iin": citizen.iin, "service": birth_registration.pk})
    draft = ServiceRequest.objects.get(citizen=citizen)
    url = f"/backoffice/assisted/{draft.reference}/"
    assert 'enctype="multipart/form-data"' in counter.get(url).content.decode()

    refused = counter.post(url, {**CHILD, "medical_birth_certificate": png("certificate.pdf")})
    assert refused.status_code == 400 and "does not match its name" in refused.content.decode()
    assert not Attachment.objects.exists()

    counter.post(url, {**CHILD, "medical_birth_certificate": pdf("certificate.pdf")})

    draft.refresh_from_db()
    attachment = Attachment.objects.get(request=draft)
    assert attachment.uploaded_by == clerk and attachment.purpose == Purpose.FORM
    assert draft.form_data["medical_birth_certificate"] == str(attachment.public_id)
    assert draft.state != State.DRAFT


def test_only_the_filing_clerk_uploads_to_a_counter_draft_and_only_while_it_is_a_draft(birth_registration):
    clerk, other = StaffFactory(agency=birth_registration.agency), StaffFactory(agency=birth_registration.agency)
    draft = assisted_draft_start(clerk=clerk, iin=UserFactory().iin, service=birth_registration)

    with pytest.raises(NotPermitted):
        attachment_upload(
            request=draft, user=other, file=pdf(), purpose=Purpose.FORM, field="medical_birth_certificate"
        )
    with pytest.raises(NotPermitted):  # answering an information request is the citizen's own act
        attachment_upload(request=draft, user=clerk, file=pdf(), purpose=Purpose.RESPONSE)
    draft.state = State.IN_REVIEW
    with pytest.raises(ValidationError):
        attachment_upload(
            request=draft, user=clerk, file=pdf(), purpose=Purpose.FORM, field="medical_birth_certificate"
        )
