"""attachment_upload: who may upload, what is accepted (by content), where it is stored, who may see it."""

import hashlib
import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File

from services.attachments.models import Attachment, Purpose
from services.attachments.selectors import attachment_for_viewer, form_attachment_ids
from services.attachments.service import (
    attachment_upload,
    display_name,
    form_files_unused_purge,
    request_respond_with_attachments,
)
from services.workflow.states import State
from services.workflow.transitions import FormInvalid, NotPermitted
from tests.factories import ServiceRequestFactory, StaffFactory, UserFactory
from tests.uploads import JPEG, PDF, PNG, TEXT, jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

DAMAGED = "cannot be opened: the file is damaged or incomplete."


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _pdf_of_objects(count, *, tail):
    """A PDF of `count` tiny objects ending with `tail` (its trailer, startxref and end marker)."""
    return b"%PDF-1.7\n" + b"".join(b"%d 0 obj\n<< /A %d >>\nendobj\n" % (i, i) for i in range(1, count)) + tail


def _pdf_with_a_table_of(entries):
    """A PDF whose cross-reference table says it has `entries` objects (pypdf would read them all)."""
    body = _pdf_of_objects(2, tail=b"")
    table = b"xref\n0 %d\n" % entries + b"0000000000 65535 f \n" * entries
    return body + table + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (entries, len(body))


def _png_of_size(width, height):
    """A PNG whose header claims `width` x `height` pixels, with almost no pixel data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b""))
        + _png_chunk(b"IEND", b"")
    )


def _jpeg_of_size(width, height):
    """The 8x8 JPEG with its frame header claiming `width` x `height` pixels."""
    frame = JPEG.index(b"\xff\xc0") + 5  # past the marker, the length and the precision
    return JPEG[:frame] + struct.pack(">HH", height, width) + JPEG[frame + 4 :]


def _file(content, name):
    return File(io.BytesIO(content), name=name)


def _upload(draft, content=PDF, name="scan.pdf", field="scan"):
    return attachment_upload(
        request=draft, user=draft.citizen, file=_file(content, name), purpose=Purpose.FORM, field=field
    )


def test_a_pdf_is_stored_under_a_generated_name_with_its_hash_and_detected_type(draft, media_root):
    attachment = _upload(draft, name="Свидетельство о рождении.PDF")
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(media_root / "attachments")
    assert stored.name == f"{attachment.public_id.hex}.pdf"
    assert stored.read_bytes() == PDF
    assert attachment.original_name == "Свидетельство о рождении.PDF"
    assert attachment.size == len(PDF)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.content_type == "application/pdf"
    assert attachment.uploaded_by == draft.citizen
    assert form_attachment_ids(request=draft) == {str(attachment.public_id)}


def test_the_type_comes_from_the_content_not_the_name(draft):
    assert _upload(draft, PNG, "photo").content_type == "image/png"


def _reportlab_pdf():
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    document = canvas.Canvas(out)
    document.drawString(100, 700, "Свидетельство")
    document.showPage()
    document.save()
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF, "scan.pdf", "application/pdf"),
        (_reportlab_pdf(), "scan.pdf", "application/pdf"),
        (pdf_bytes(pages=3), "three pages.pdf", "application/pdf"),
        (pdf_bytes(password=""), "restricted.pdf", "application/pdf"),  # an owner password only: opens without one
        (PNG, "photo.png", "image/png"),
        (JPEG, "photo.jpg", "image/jpeg"),
        (jpeg_bytes(1200, 900), "photo.jpeg", "image/jpeg"),
    ],
)
def test_small_real_files_of_each_type_are_accepted(draft, content, name, content_type):
    assert _upload(draft, content, name).content_type == content_type


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.7\n" + b"junk " * 2000, "junk.pdf", DAMAGED),
        (b"%PDF-1.7\n" + b"junk " * 2000 + b"\n%%EOF\n", "junk-with-an-end.pdf", DAMAGED),
        (pdf_bytes(pages=3)[: len(pdf_bytes(pages=3)) // 2], "truncated.pdf", DAMAGED),
        (PDF[:-40], "cut-before-the-end.pdf", DAMAGED),
        (pdf_bytes(password="secret"), "locked.pdf", "“locked.pdf” is protected with a password."),
        (pdf_bytes(pages=0), "blank.pdf", "“blank.pdf” has no pages."),
        (b"\x89PNG\r\n\x1a\n" + b"junk" * 500, "junk.png", DAMAGED),
        (PNG[:-12], "truncated.png", DAMAGED),  # without IEND
        (PNG[:40] + b"junk" + PNG[44:], "corrupt.png", DAMAGED),  # a CRC no longer matches
        (b"\xff\xd8\xff\xe0" + b"junk" * 500, "junk.jpg", DAMAGED),
        (JPEG[: len(JPEG) - 10], "truncated.jpg", DAMAGED),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value else "",
)
def test_a_file_with_the_right_signature_but_unreadable_content_is_refused(draft, media_root, content, name, message):
    with pytest.raises(ValidationError) as refused:
        _upload(draft, content, name)
    assert message in refused.value.messages[0]
    assert not Attachment.objects.exists()
    assert not (media_root / "attachments").exists()


@pytest.mark.parametrize(
    "content",
    [
        _png_of_size(100_000, 100_000),  # beyond Pillow's own bomb limit
        _png_of_size(10_000, 7_000),  # 70 megapixels: within Pillow's, beyond the portal's
        _jpeg_of_size(65_535, 65_535),
    ],
    ids=["png-10-gigapixels", "png-70-megapixels", "jpeg-4-gigapixels"],
)
def test_an_image_claiming_too_many_pixels_is_refused_at_once_without_decoding(draft, content):
    started = time.perf_counter()
    with pytest.raises(ValidationError, match=r"has too many pixels\. Reduce the image to at most 60 megapixels"):
        _upload(draft, content, "bomb")
    assert time.perf_counter() - started < 1
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xd8" + b"\xff" * 1_000_000,  # Pillow alone steps through such junk a byte at a time
        JPEG[:20] + b"\x13" * 1_000_000,
        b"\x89PNG\r\n\x1a\n" + _png_of_size(8, 8)[8:33] + _png_chunk(b"zzZz", b"") * 100_000,
        # pypdf would rebuild the cross-reference table from every object, then search them all.
        _pdf_of_objects(100_000, tail=b"trailer\n<< >>\nstartxref\n0\n%%EOF\n"),
        _pdf_of_objects(100_000, tail=b"trailer\n<< /Root 1 0 R >>\nstartxref\n999999999\n%%EOF\n"),
        _pdf_with_a_table_of(60_000),  # over PDF_MAX_OBJECTS, 1.2 MB
    ],
    ids=["jpeg-fill-bytes", "jpeg-junk-header", "png-many-chunks", "pdf-no-root", "pdf-no-table", "pdf-huge-table"],
)
def test_a_file_made_to_be_slow_to_parse_is_refused_quickly(draft, content):
    started = time.perf_counter()
    with pytest.raises(ValidationError, match=DAMAGED):
        _upload(draft, content, "slow")
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (TEXT, "notes.pdf", "“notes.pdf” is not a PDF, PNG or JPEG file."),
        (PNG, "photo.pdf", "The content of “photo.pdf” does not match its name: it is a PNG file."),
        (b"", "empty.pdf", "“empty.pdf” is empty."),
        (PDF, "../../etc/passwd.pdf", "The file name must not contain folder names or “..”."),
        (PDF, "..\\secret.pdf", "The file name must not contain folder names or “..”."),
        (PDF, "C:\\Users\\scan.pdf", "The file name must not contain folder names or “..”."),
    ],
)
def test_a_refused_file_is_not_stored_and_says_why(draft, media_root, content, name, message):
    with pytest.raises(ValidationError) as refused:
        _upload(draft, content, name)
    assert refused.value.messages[0].startswith(message)
    assert not Attachment.objects.exists()
    assert not (media_root / "attachments").exists()


def test_a_file_over_the_limit_is_refused(draft, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="is larger than 1000"):
        _upload(draft, PDF + b"0" * 1000)
    assert not Attachment.objects.exists()


def test_control_characters_are_dropped_from_the_name_shown():
    assert display_name("scan\x00\u202e.pdf") == "scan.pdf"
    assert len(display_name("a" * 300 + ".pdf")) == 255
    assert display_name("a" * 300 + ".pdf").endswith(".pdf")


def test_only_the_citizen_uploads_only_to_an_open_request_and_only_to_a_file_question(draft):
    with pytest.raises(NotPermitted):
        attachment_upload(request=draft, user=UserFactory(), file=_file(PDF, "a.pdf"), purpose=Purpose.FORM)
    with pytest.raises(ValidationError, match="does not ask for a document"):
        _upload(draft, field="other")
    with pytest.raises(ValidationError, match="can no longer be added"):
        attachment_upload(request=draft, user=draft.citizen, file=_file(PDF, "a.pdf"), purpose=Purpose.RESPONSE)
    draft.state = State.SUBMITTED
    with pytest.raises(ValidationError, match="can no longer be added"):
        _upload(draft)


def test_the_number_of_files_per_request_is_bounded(draft, settings):
    settings.UPLOAD_MAX_FILES_PER_REQUEST = 2
    draft.form_data = {"scan": str(_upload(draft).public_id)}  # saved: kept beside the next one
    _upload(draft)
    with pytest.raises(ValidationError, match="too many files"):
        _upload(draft)


def test_a_new_file_replaces_the_unsaved_ones_of_its_question_and_keeps_the_saved_answer(
    draft, media_root, django_capture_on_commit_callbacks
):
    saved = _upload(draft, name="first.pdf")
    draft.form_data = {"scan": str(saved.public_id)}
    unsaved = _upload(draft, name="second.pdf")

    with django_capture_on_commit_callbacks(execute=True):
        newest = _upload(draft, name="third.pdf")

    assert set(Attachment.objects.filter(request=draft)) == {saved, newest}
    assert not (media_root / unsaved.file.name).exists()
    assert (media_root / saved.file.name).exists()


def test_once_submitted_the_files_no_answer_names_are_deleted(draft, media_root, django_capture_on_commit_callbacks):
    replaced = _upload(draft, name="first.pdf")
    draft.form_data = {"scan": str(replaced.public_id)}
    answer = _upload(draft, name="second.pdf")
    draft.form_data = {"scan": str(answer.public_id)}

    with django_capture_on_commit_callbacks(execute=True):
        assert form_files_unused_purge(request=draft) == 1

    assert list(Attachment.objects.filter(request=draft)) == [answer]
    assert not (media_root / replaced.file.name).exists()


def test_the_citizen_and_then_staff_of_the_agency_may_see_a_file_nobody_else(draft):
    attachment = _upload(draft)
    clerk = StaffFactory(agency=draft.service.agency)
    assert attachment_for_viewer(viewer=draft.citizen, public_id=attachment.public_id) == attachment
    for stranger in (UserFactory(), clerk, StaffFactory()):  # the clerk sees no draft
        with pytest.raises(Attachment.DoesNotExist):
            attachment_for_viewer(viewer=stranger, public_id=attachment.public_id)
    draft.state, draft.submitted_at = State.SUBMITTED, draft.created_at
    draft.save()
    assert attachment_for_viewer(viewer=clerk, public_id=attachment.public_id) == attachment
    with pytest.raises(Attachment.DoesNotExist):
        attachment_for_viewer(viewer=StaffFactory(), public_id=attachment.public_id)
    with pytest.raises(Attachment.DoesNotExist):
        attachment_for_viewer(viewer=draft.citizen, public_id=attachment.public_id, reference="0000-0000-0")


def test_an_answer_with_files_lists_them_in_its_event_and_a_refused_one_stores_nothing(media_root):
    asked = ServiceRequestFactory(info_requested=True)
    with pytest.raises(ValidationError):
        request_respond_with_attachments(
            request=asked, user=asked.citizen, message="", files=[_file(PDF, "a.pdf"), _file(TEXT, "b.pdf")]
        )
    assert not Attachment.objects.exists()
    assert not any(media_root.rglob("*.pdf"))  # the first file, stored before the second was refused, is gone
    with pytest.raises(FormInvalid):
        request_respond_with_attachments(request=asked, user=asked.citizen, message=" ", files=[])
    answered = request_respond_with_attachments(
        request=asked, user=asked.citizen, message="", files=[_file(PDF, "certificate.pdf")]
    )
    assert answered.state == State.IN_REVIEW
    event = answered.events.get(action="respond")
    attachment = Attachment.objects.get()
    assert event.payload["attachments"] == [str(attachment.public_id)]
    assert attachment.purpose == Purpose.RESPONSE
