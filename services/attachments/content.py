"""Whether an uploaded file's bytes are the document its signature announces.

`filetype` recognises a type by the first bytes only; `content_check` reads the rest: a PDF must open
with pypdf, without a password, and have a page; a PNG or JPEG must be read and verified by Pillow
and be of a sensible number of pixels. The checks stay cheap: no page is rendered and no pixel is
decoded, and the images' structure is walked first with bounded loops, because Pillow's header
parsers step through junk one byte at a time (seconds of CPU for a few megabytes of it).
"""

import re
import struct
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext
from PIL import Image
from pypdf import PasswordType, PdfReader

# An A4 page scanned at 600 dpi is 35 megapixels, a phone photo 12 to 50; Pillow's own bomb
# check only warns below 89 megapixels, so the limit is ours, checked before Pillow reads the file.
MAX_IMAGE_PIXELS = 60_000_000
# PNG chunks, or JPEG segments before the first scan: real files have at most a few thousand.
MAX_IMAGE_PARTS = 10_000
# Readers look for the PDF's end-of-file marker within its last 1024 bytes; so do we.
PDF_TAIL_BYTES = 1024
# The last `startxref <offset> %%EOF`, and what must be at the offset: a table, or a stream object.
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF")
_XREF_START = re.compile(rb"\s*(xref|\d+\s+\d+\s+obj)")
_SIZE = re.compile(rb"/Size\s+(\d+)")
# A scan has a few objects a page, a word processor's file some thousands; pypdf reads the whole
# cross-reference table, about a second of CPU per 100,000 entries.
PDF_MAX_OBJECTS = 50_000
# Levels of the PDF's page tree walked down to its first page.
PDF_MAX_DEPTH = 32
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG markers that start a frame (and carry its size): SOF0-SOF15 except DHT, JPG and DAC.
JPEG_FRAME_MARKERS = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# JPEG markers with no length after them: TEM, RST0-RST7.
JPEG_STANDALONE_MARKERS = {0x01, *range(0xD0, 0xD8)}
JPEG_START_OF_SCAN, JPEG_END_OF_IMAGE = 0xDA, b"\xff\xd9"
JPEG_MAX_FILL = 64  # 0xFF bytes allowed before a marker


class _Damaged(Exception):
    """The bytes do not parse as the type they claim."""


def content_check(file: File, *, mime: str, name: str) -> None:
    """Raise ValidationError, with a message in the active language, unless the file parses as `mime`.

    `mime` is one of the accepted types, as recognised from the file's signature. The codes are
    "damaged", "encrypted" (a PDF that needs a password to open), "no_pages" and "pixels".
    """
    check: Callable[[File, str], None] = {
        "application/pdf": _pdf_check,
        "image/png": _png_check,
        "image/jpeg": _jpeg_check,
    }[mime]
    try:
        check(file, name)
    except _Damaged:
        raise ValidationError(
            gettext(
                "“%(name)s” cannot be opened: the file is damaged or incomplete. Save or scan it again and upload it."
            )
            % {"name": name},
            code="damaged",
        ) from None
    finally:
        file.seek(0)


def _pdf_check(file: File, name: str) -> None:
    _pdf_cross_reference_check(file)
    file.seek(0)
    try:
        reader = PdfReader(file)
        locked = reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED
        has_page = locked or _pdf_has_page(reader)
    except Exception as error:  # a parser's failure of whatever kind: the bytes are not a readable PDF
        raise _Damaged from error
    if locked:  # one restricted only by an owner password opens without one, and is taken
        raise ValidationError(
            gettext("“%(name)s” is protected with a password. Upload a copy that opens without one.") % {"name": name},
            code="encrypted",
        )
    if not has_page:
        raise ValidationError(gettext("“%(name)s” has no pages.") % {"name": name}, code="no_pages")


def _pdf_cross_reference_check(file: File) -> None:
    """The file ends with `startxref`, pointing at its cross-reference table or stream, which names
    its catalogue (/Root) and its number of objects (/Size, at most PDF_MAX_OBJECTS). pypdf repairs
    a file without these by reading every object, seconds of CPU for a few megabytes made to need
    it; a file a scanner or a word processor wrote has them."""
    file.seek(max(0, file.size - PDF_TAIL_BYTES))
    found = _STARTXREF.findall(file.read())
    if not found or int(found[-1]) >= file.size:  # truncated, or junk after a PDF's first line
        raise _Damaged
    file.seek(int(found[-1]))
    after = file.read()
    size = _SIZE.search(after)
    if not _XREF_START.match(after) or b"/Root" not in after or not size or int(size[1]) > PDF_MAX_OBJECTS:
        raise _Damaged


def _pdf_has_page(reader: PdfReader) -> bool:
    """Whether the page tree leads down to a page; the tree is not flattened, which costs seconds for
    a file of many thousands of pages."""
    node = reader.root_object["/Pages"]
    if int(node.get("/Count", 0)) < 1:
        return False
    for _ in range(PDF_MAX_DEPTH):
        if "/Kids" not in node:
            return True
        kids = node["/Kids"]
        if not kids:
            return False
        node = kids[0].get_object()
    raise _Damaged


def _png_check(file: File, name: str) -> None:
    _pixels_check(_png_size(file), name)
    _pillow_check(file, "PNG", name)


def _png_size(file: File) -> tuple[int, int]:
    """The image's size from its IHDR chunk, after walking the chunks to IEND by their lengths."""
    file.seek(len(PNG_SIGNATURE))
    size = None
    for _ in range(MAX_IMAGE_PARTS):
        header = file.read(8)
        if len(header) < 8:
            raise _Damaged  # truncated before IEND
        length, kind = struct.unpack(">I4s", header)
        if length > 2**31 - 1 or (size is None and (kind != b"IHDR" or length != 13)):
            raise _Damaged
        if kind == b"IEND":
            return size
        if kind == b"IHDR":
            size = struct.unpack(">II", file.read(8))
            length -= 8
        file.seek(length + 4, 1)  # the data and its CRC, which Pillow's verify() checks
    raise _Damaged


def _jpeg_check(file: File, name: str) -> None:
    size, scan_at = _jpeg_header(file)
    _pixels_check(size, name)
    if not _contains(file, JPEG_END_OF_IMAGE, start=scan_at):
        raise _Damaged  # truncated
    _pillow_check(file, "JPEG", name)


def _jpeg_header(file: File) -> tuple[tuple[int, int], int]:
    """The frame's size and where the first scan starts, after walking the segments by their lengths."""
    file.seek(2)  # past SOI, which `filetype` recognised
    size = None
    for _ in range(MAX_IMAGE_PARTS):
        prefix = file.read(2)
        for _ in range(JPEG_MAX_FILL):
            if prefix != b"\xff\xff":
                break
            prefix = b"\xff" + file.read(1)  # fill bytes before a marker
        if len(prefix) < 2 or prefix[0] != 0xFF:
            raise _Damaged
        marker = prefix[1]
        if marker in JPEG_STANDALONE_MARKERS:
            continue
        # Not a marker here; an image again or its end before any scan; too many fill bytes.
        if marker in (0x00, 0xD8, 0xD9, 0xFF):
            raise _Damaged
        length_bytes = file.read(2)
        if len(length_bytes) < 2:
            raise _Damaged
        (length,) = struct.unpack(">H", length_bytes)
        if length < 2:
            raise _Damaged
        if marker in JPEG_FRAME_MARKERS:
            segment = file.read(5)
            if len(segment) < 5:
                raise _Damaged
            height, width = struct.unpack(">xHH", segment)
            size = (width, height)
            length -= 5
        file.seek(length - 2, 1)
        if marker == JPEG_START_OF_SCAN:
            if size is None:
                raise _Damaged
            return size, file.tell()
    raise _Damaged


def _contains(file: File, needle: bytes, *, start: int) -> bool:
    file.seek(start)
    tail = b""
    for chunk in iter(lambda: file.read(64 * 1024), b""):
        if needle in tail + chunk:
            return True
        tail = chunk[-(len(needle) - 1) :]
    return False


def _pixels_check(size: tuple[int, int], name: str) -> None:
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels(name)


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        gettext("“%(name)s” has too many pixels. Reduce the image to at most %(limit)s megapixels and upload it again.")
        % {"name": name, "limit": MAX_IMAGE_PIXELS // 1_000_000},
        code="pixels",
    )


def _pillow_check(file: File, image_format: str, name: str) -> None:
    file.seek(0)
    try:
        with Image.open(file, formats=[image_format]) as image:
            image.verify()
    except Image.DecompressionBombError:  # Pillow counted more pixels than the header walk did
        raise _too_many_pixels(name) from None
    except Exception as error:  # a parser's failure of whatever kind: the bytes are not a readable image
        raise _Damaged from error
