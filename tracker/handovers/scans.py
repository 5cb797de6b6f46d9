"""What a signed scan must be before it is kept: a PDF or an image that parses as one.

The first bytes are only a claim (a file starting ``%PDF`` may be HTML inside), so the whole file
is read by the library of its kind: pypdf must find its pages, Pillow must verify the image.
The name kept is made here from the handover, never the uploader's, and every stored file is
served as an attachment with ``nosniff`` (tracker/handovers/views.py, tracker/hardening.py).
"""
from __future__ import annotations

import io
import warnings

from PIL import Image
from pypdf import PdfReader

from tracker.errors import ValidationError

REFUSED = "Bản scan: chỉ nhận tệp PDF, JPEG hoặc PNG đọc được (tệp này không phải, hoặc đã hỏng)."
MAX_PIXELS = 200_000_000  # an A0 sheet at 600 dpi is 140 million; past this it is a decompression bomb


def _pdf_pages(data: bytes) -> int:
    reader = PdfReader(io.BytesIO(data), strict=False)
    pages = len(reader.pages)
    if pages:
        _ = reader.pages[0].mediabox
    return pages


def _image_format(data: bytes) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                return None
            image_format = image.format
            image.verify()
    return image_format


def check_scan(data: bytes) -> tuple[str, str]:
    """The content type and extension of a scan that really is a PDF, PNG or JPEG; ValidationError else."""
    try:
        if data.startswith(b"%PDF-") and _pdf_pages(data) > 0:
            return "application/pdf", "pdf"
        if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
            image_format = _image_format(data)
            if image_format == "PNG":
                return "image/png", "png"
            if image_format == "JPEG":
                return "image/jpeg", "jpg"
    except Exception:  # noqa: BLE001 - any failure to parse is the same refusal
        pass
    raise ValidationError({"scan": REFUSED})


def scan_name(minutes_filename: str, extension: str) -> str:
    """``Bien-ban-07-BB-BG-2025-ban-ky.pdf``: the minutes' own name, whatever the upload was called."""
    stem = "".join(c if c.isascii() and (c.isalnum() or c == "-") else "-" for c in minutes_filename.rsplit(".", 1)[0])
    return f"{stem.strip('-')[:80] or 'Bien-ban'}-ban-ky.{extension}"
