"""The `Idempotency-Key` header on API writes, with Stripe's semantics (see services.apiclients.idempotency).

`@idempotent` wraps a view's write handler. Without the header the write simply runs. With it, the
first response (status and body, errors included, server errors excepted) is stored for the caller
and replayed for a retry with the same method, path and body; any other use of the key is a 422.
"""

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from services.apiclients.idempotency import MAX_KEY_LENGTH, StoredResponse, idempotent_write

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"

Handler = Callable[..., Response]


def idempotent(handler: Handler) -> Handler:
    """Make a write handler honour `Idempotency-Key`; the schema documents the header for handlers so marked."""

    @functools.wraps(handler)
    def wrapper(view: APIView, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        if not key.strip() or len(key) > MAX_KEY_LENGTH:
            raise exceptions.ValidationError({HEADER: [f"Send 1 to {MAX_KEY_LENGTH} characters."]})

        def write() -> StoredResponse:
            try:
                response = handler(view, request, *args, **kwargs)
            except Exception as exc:
                response = view.handle_exception(exc)
            body = json.dumps(response.data, cls=JSONEncoder, ensure_ascii=False)
            return StoredResponse(response.status_code, body, getattr(response, "content_type", None) or "")

        stored = idempotent_write(user=request.user, key=key, fingerprint=_fingerprint(request), write=write)
        response = Response(
            json.loads(stored.body), status=stored.status, content_type=_media_type(stored.content_type)
        )
        if stored.replayed:
            response[REPLAYED_HEADER] = "true"
        return response

    wrapper.idempotent = True  # type: ignore[attr-defined]
    return wrapper


def _fingerprint(request: Request) -> str:
    body = json.dumps(_canonical(request.data), sort_keys=True, separators=(",", ":"), cls=JSONEncoder)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _canonical(data: Any) -> Any:
    """The body as JSON can hash it: a form's every value (not only the last of a repeated name), and
    an uploaded file as its name and the SHA-256 of its bytes, so the same key with another file is refused."""
    if not isinstance(data, QueryDict):
        return data
    return {name: [_file_digest(value) for value in data.getlist(name)] for name in data}


def _file_digest(value: Any) -> Any:
    if not isinstance(value, UploadedFile):
        return value
    digest = hashlib.sha256()
    for chunk in value.chunks():
        digest.update(chunk)
    value.seek(0)
    return {"name": value.name, "size": value.size, "sha256": digest.hexdigest()}


def _media_type(content_type: str) -> str | None:
    media = content_type.split(";")[0].strip()
    return media if media and media != "application/json" else None
