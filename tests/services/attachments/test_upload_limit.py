"""UploadSizeLimitHandler: a file part over UPLOAD_MAX_BYTES is dropped while it streams in, and the page
and the API refuse it next to its field, as for any other refused file."""

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, MemoryFileUploadHandler
from django.test import RequestFactory

from services.attachments.models import Attachment
from services.attachments.upload_handlers import TooLargeUpload, UploadSizeLimitHandler
from tests.portal.api.conftest import bearer
from tests.uploads import PDF

pytestmark = pytest.mark.django_db

LIMIT = 1000
TOO_LARGE = f"“big.pdf” is larger than {LIMIT}\N{NO-BREAK SPACE}bytes. Upload a smaller file."


class KeptBytes(FileUploadHandler):
    """Placed after the limit, counts the bytes of each part that reach Django's own handlers."""

    chunk_size = 256  # so that a part arrives in several chunks, as a large one does
    kept: list[int] = []

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.kept.append(0)

    def receive_data_chunk(self, raw_data, start):
        self.kept[-1] += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture(autouse=True)
def upload_limit(settings):
    settings.UPLOAD_MAX_BYTES = LIMIT
    handlers = list(django_settings.FILE_UPLOAD_HANDLERS)
    settings.FILE_UPLOAD_HANDLERS = [handlers[0], f"{__name__}.KeptBytes", *handlers[1:]]
    KeptBytes.kept = []


def _big():
    return SimpleUploadedFile("big.pdf", PDF + b"%" * 5 * LIMIT, content_type="application/pdf")


def test_the_handlers_after_the_limit_get_no_more_than_the_limit_and_the_later_fields_are_kept(settings):
    settings.UPLOAD_MAX_BYTES = limit = 4 * LIMIT  # several chunks of the part get through
    request = RequestFactory().post("/", {"scan": _big(), "small": SimpleUploadedFile("a.pdf", PDF), "note": "kept"})
    request.upload_handlers = [UploadSizeLimitHandler(request), KeptBytes(request), MemoryFileUploadHandler(request)]

    dropped, small = request.FILES["scan"], request.FILES["small"]

    assert isinstance(dropped, TooLargeUpload)
    assert (dropped.name, dropped.size, dropped.read()) == ("big.pdf", len(PDF) + 5 * LIMIT, b"")
    assert small.read() == PDF
    assert request.POST["note"] == "kept"
    big_kept, small_kept = KeptBytes.kept
    assert limit - KeptBytes.chunk_size < big_kept <= limit
    assert small_kept == len(PDF)


def test_on_the_page_a_file_over_the_limit_is_refused_next_to_its_field_and_nothing_is_stored(
    client, draft, media_root
):
    client.force_login(draft.citizen)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(f"/services/{draft.service.code}/apply/{draft.reference}/documents/", {"scan": _big()})

    assert response.status_code == 200
    page = response.content.decode()
    error = page[page.index('id="f-scan-error"') :]
    assert TOO_LARGE in error[: error.index("</p>")]
    assert KeptBytes.kept and max(KeptBytes.kept) <= LIMIT
    assert not Attachment.objects.exists()
    assert not (media_root / "attachments").exists()


def test_by_api_a_file_over_the_limit_is_a_field_error_and_nothing_is_stored(draft, media_root):
    # The file part comes first: the question after it is still read.
    response = bearer(draft.citizen).post(
        f"/api/v1/requests/{draft.reference}/attachments/", {"file": _big(), "question": "scan"}, format="multipart"
    )

    assert response.status_code == 400, response.json()
    assert response.json()["errors"] == {"file": [TOO_LARGE]}
    assert KeptBytes.kept and max(KeptBytes.kept) <= LIMIT
    assert not Attachment.objects.exists()
    assert not (media_root / "attachments").exists()
