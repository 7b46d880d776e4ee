from datetime import date, timedelta

import factory
from django.utils import timezone

from services.accounts.iin import make_iin
from services.accounts.models import StaffRole, User
from services.catalogue.loading import schema_digest
from services.catalogue.models import Agency, DecisionMode, FormVersion, ResultDocument, Service
from services.consents.models import Purpose, ThirdPartyClient
from services.workflow.models import ServiceRequest
from services.workflow.references import next_reference
from services.workflow.states import State


def text(en: str) -> dict[str, str]:
    return {"kk": f"{en} (қаз.)", "ru": f"{en} (рус.)", "en": en}


FORM_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "x-pages": [{"id": "purpose", "title": text("Purpose")}, {"id": "contact", "title": text("Contact")}],
    "properties": {
        "purpose": {
            "type": "string",
            "enum": ["work", "visa"],
            "x-label": {"kk": "Мақсаты", "ru": "Цель", "en": "Purpose"},
            "x-page": "purpose",
            "x-options": {"work": text("Work"), "visa": text("Visa")},
        },
        "details": {"type": "string", "minLength": 3, "x-label": text("Details"), "x-page": "purpose"},
        "phone": {
            "type": "string",
            "pattern": "^\\+7[0-9]{10}$",
            "x-label": {"kk": "Телефон нөмірі", "ru": "Номер телефона", "en": "Phone number"},
            "x-page": "contact",
        },
    },
    "required": ["purpose", "phone"],
}
# A file question on a "documents" page, for forms that ask for a scan.
SCAN_QUESTION = {
    "type": "string",
    "format": "attachment",
    "x-widget": "file",
    "x-label": text("Scan"),
    "x-page": "documents",
}
VALID_ANSWERS = {"purpose": "work", "phone": "+77011234567"}


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"agency-{n}")
    name_kk = factory.LazyAttribute(lambda o: f"{o.code} агенттігі")
    name_ru = factory.LazyAttribute(lambda o: f"Агентство {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Agency {o.code}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"service-{n}")
    agency = factory.SubFactory(AgencyFactory)
    name_kk = "Анықтама"
    name_ru = "Справка"
    name_en = "Certificate"
    description_kk = "Анықтама беру."
    description_ru = "Выдача справки."
    description_en = "Issue of a certificate."
    legal_deadline_days = 5
    service_target = timedelta(minutes=10)
    decision_mode = DecisionMode.OFFICER
    result_document = ResultDocument.CERTIFICATE

    @factory.post_generation
    def form(service, create, extracted, **kwargs):
        schema = extracted or FORM_SCHEMA
        service.form = FormVersion.objects.create(
            service=service, version=1, schema=schema, digest=schema_digest(schema)
        )
        service.save(update_fields=["form"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    iin = factory.Sequence(lambda n: make_iin(date(1980, 1, 1) + timedelta(days=n % 9000), female=n % 2 == 1, serial=n))
    first_name = "Aigerim"
    last_name = "Nurlanova"
    phone = "+77011234567"
    preferred_language = "en"
    password = factory.django.Password("correct horse battery")


class StaffFactory(UserFactory):
    agency = factory.SubFactory(AgencyFactory)
    staff_role = StaffRole.CLERK

    class Params:
        supervisor = factory.Trait(staff_role=StaffRole.SUPERVISOR)


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """A request put straight into a state, for tests that start from there."""

    class Meta:
        model = ServiceRequest

    reference = factory.LazyFunction(next_reference)
    citizen = factory.SubFactory(UserFactory)
    service = factory.SubFactory(ServiceFactory)
    form_version = factory.LazyAttribute(lambda o: o.service.form)
    language = "en"
    form_data = factory.LazyFunction(lambda: dict(VALID_ANSWERS))
    state = State.DRAFT

    class Params:
        submitted = factory.Trait(
            state=State.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
            deadline=factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7)),
        )
        in_review = factory.Trait(submitted=True, state=State.IN_REVIEW)
        info_requested = factory.Trait(
            in_review=True, state=State.INFO_REQUESTED, clock_paused_at=factory.LazyFunction(timezone.now)
        )


class ThirdPartyClientFactory(factory.django.DjangoModelFactory):
    """A bank that may ask to read citizens' requests; its tokens belong to its own account."""

    class Meta:
        model = ThirdPartyClient

    name = "Demo Bank JSC"
    bin = factory.Sequence(lambda n: f"{100000000000 + n}")
    user = factory.SubFactory(UserFactory, first_name="Demo", last_name="Bank")
    purposes = factory.LazyFunction(lambda: [Purpose.READ_REQUESTS.value])
