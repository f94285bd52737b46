"""What files may be attached to a resource, decided from their bytes rather than their names.

SVG and HTML are refused on purpose: a browser runs script inside them. Office documents are ZIP
containers; they are accepted only when the ZIP holds the marker file its format requires.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import IO

ZIP_FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
    "odt": ("application/vnd.oasis.opendocument.text", "content.xml"),
    "odp": ("application/vnd.oasis.opendocument.presentation", "content.xml"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "content.xml"),
}
TEXT_FORMATS = {"txt": "text/plain", "csv": "text/csv", "md": "text/markdown"}
ALLOWED_EXTENSIONS = sorted(["pdf", "png", "jpg", "jpeg", "gif", *ZIP_FORMATS, *TEXT_FORMATS])


class AttachmentRefused(ValueError):
    """The file is not one of the kinds Kindling accepts, or is not what its name claims."""


@dataclass(frozen=True)
class AttachmentFacts:
    content_type: str
    extension: str


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def inspect_attachment(name: str, stream: IO[bytes]) -> AttachmentFacts:
    """Decide the real type of an upload; raises AttachmentRefused for anything else."""
    extension = _extension(name)
    stream.seek(0)
    head = stream.read(8192)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return AttachmentFacts("application/pdf", "pdf")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return AttachmentFacts("image/png", "png")
    if head.startswith(b"\xff\xd8\xff"):
        return AttachmentFacts("image/jpeg", "jpg")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return AttachmentFacts("image/gif", "gif")
    if head.startswith(b"PK\x03\x04"):
        if extension not in ZIP_FORMATS:
            raise AttachmentRefused("archive")
        content_type, marker = ZIP_FORMATS[extension]
        try:
            with zipfile.ZipFile(io.BytesIO(stream.read())) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise AttachmentRefused("damaged") from None
        finally:
            stream.seek(0)
        if not any(n == marker or n.startswith(marker) for n in names):
            raise AttachmentRefused("mislabelled")
        return AttachmentFacts(content_type, extension)
    if extension in TEXT_FORMATS:
        data = stream.read()
        stream.seek(0)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise AttachmentRefused("not text") from None
        lowered = text[:2048].lower()
        if "\x00" in text or "<script" in lowered or "<svg" in lowered or "<html" in lowered:
            raise AttachmentRefused("markup")
        return AttachmentFacts(TEXT_FORMATS[extension], extension)
    raise AttachmentRefused("unknown")
