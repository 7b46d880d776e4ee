"""Renderers for file downloads (the result PDF, an uploaded file), whatever the client accepts; errors on
those paths still come out as problem+json."""

import json
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.utils.encoders import JSONEncoder


class PdfRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: dict | None = None) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, cls=JSONEncoder, ensure_ascii=False).encode()


class FileRenderer(PdfRenderer):
    """A citizen's uploaded file: the response carries the file's own type (PDF, PNG or JPEG)."""

    media_type = "application/octet-stream"
    format = "file"


class DownloadNegotiation(DefaultContentNegotiation):
    """A file download has one representation: it answers whatever `Accept` says (clients commonly send
    `application/json` or `*/*`), rather than 406."""

    def select_renderer(
        self, request: Request, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        return renderers[0], renderers[0].media_type
