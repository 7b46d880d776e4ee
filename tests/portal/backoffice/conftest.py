import pytest
from django.core.files.base import ContentFile

from services.attachments.models import Attachment, Purpose
from services.documents.models import ResultDocument
from tests.factories import ServiceFactory, ServiceRequestFactory, StaffFactory, UserFactory
from tests.otp import verified_client

GROUNDS = [
    {"code": "inaccurate-data", "text": {"kk": "Деректер дұрыс емес", "ru": "Данные неверны", "en": "Data are wrong"}}
]


@pytest.fixture
def service(db):
    return ServiceFactory(refusal_grounds=GROUNDS)


@pytest.fixture
def clerk(service):
    return StaffFactory(agency=service.agency, first_name="Aigerim", last_name="Bekova")


@pytest.fixture
def supervisor(service):
    return StaffFactory(agency=service.agency, supervisor=True, first_name="Nurlan", last_name="Omarov")


@pytest.fixture
def as_clerk(clerk):
    return verified_client(clerk)


@pytest.fixture
def as_supervisor(supervisor):
    return verified_client(supervisor)


@pytest.fixture
def in_review(service):
    return ServiceRequestFactory(service=service, in_review=True, citizen=UserFactory(first_name="Aidos"))


@pytest.fixture
def result_document(settings, tmp_path):
    """Makes a result PDF for a request (stored under a temporary MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"

    def make(request):
        return ResultDocument.objects.create(
            request=request,
            kind="certificate",
            language="en",
            verification_code=f"TEST{request.pk:06d}",
            file=ContentFile(b"%PDF-1.4 test", name=f"{request.reference}.pdf"),
            sha256="0" * 64,
            signature="test",
        )

    return make


@pytest.fixture
def uploaded_file(settings, tmp_path):
    """Stores a PDF the request's citizen uploaded with the form (under a temporary MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"

    def make(request):
        return Attachment.objects.create(
            request=request,
            uploaded_by=request.citizen,
            purpose=Purpose.FORM,
            field="scan",
            original_name="birth-certificate.pdf",
            file=ContentFile(b"%PDF-1.4 scan", name="upload.pdf"),
            size=13,
            sha256="0" * 64,
            content_type="application/pdf",
        )

    return make
