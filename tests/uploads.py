"""Small files of each kind the portal accepts, and one it refuses, for upload tests."""

import base64
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter


def pdf_bytes(pages: int = 1, password: str | None = None) -> bytes:
    """A PDF of blank pages (none, when `pages` is 0), encrypted when a `password` is given."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_bytes(width: int = 8, height: int = 8) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "JPEG")
    return out.getvalue()


PDF = pdf_bytes()  # one blank A4 page
# A 1x1 transparent PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
JPEG = jpeg_bytes()
TEXT = b"This is plain text, not a scan.\n"


def pdf(name="scan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def uploaded_scan(draft, field: str) -> str:
    """Upload a PDF to the draft's file question `field` as its citizen; the answer to save (the file's id)."""
    from services.attachments.models import Purpose
    from services.attachments.service import attachment_upload

    attachment = attachment_upload(
        request=draft, user=draft.citizen, file=pdf(f"{field}.pdf"), purpose=Purpose.FORM, field=field
    )
    return str(attachment.public_id)
