"""Small files of each kind the portal accepts, and one it refuses, for upload tests."""

import base64

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# A 1x1 transparent PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
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
