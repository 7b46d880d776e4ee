"""A renderer for the result PDF; errors on that path still come out as problem+json."""

import json
from typing import Any

from rest_framework.renderers import BaseRenderer
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
