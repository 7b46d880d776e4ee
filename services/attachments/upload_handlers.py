"""The upload size limit, enforced while a request's body streams in rather than after it is spooled."""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class TooLargeUpload(UploadedFile):
    """A file part dropped for being over UPLOAD_MAX_BYTES: its name and the size sent, none of its bytes."""

    def __init__(self, *, name: str, content_type: str, size: int) -> None:
        super().__init__(io.BytesIO(), name, content_type, size)


class UploadSizeLimitHandler(FileUploadHandler):
    """Passes at most UPLOAD_MAX_BYTES of each file part on to Django's handlers, which come after it.

    The rest of a larger part is read off the connection and dropped, and the part becomes a
    TooLargeUpload: `attachment_upload` refuses it for its size, so the page and the API answer
    with the error next to the field. (StopUpload would lose the form's later parts with it, and
    SkipFile would make the file look as if none had been chosen.) The handlers after it keep at
    most the limit of such a part, in memory or in a temporary file deleted with the request.
    """

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.limit = settings.UPLOAD_MAX_BYTES
        self.over_limit = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        """The chunk for the next handlers, or None (they get nothing more) once the part is over the limit."""
        self.over_limit = self.over_limit or start + len(raw_data) > self.limit
        return None if self.over_limit else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        """A TooLargeUpload for a part over the limit; None lets the next handlers make the file."""
        if not self.over_limit:
            return None
        return TooLargeUpload(name=self.file_name, content_type=self.content_type, size=file_size)
