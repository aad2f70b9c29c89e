"""An original file as a download that no browser renders: attachment, octet-stream, nosniff, sandboxed."""

from __future__ import annotations

import re

from flask import Response, send_file

from indexer import OriginalFile

# Whatever the file holds (HTML with scripts, an SVG, a PDF), it is bytes to save, never a page of this site.
ATTACHMENT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
}
UNSAFE_NAME_CHARACTERS = re.compile(r'[\x00-\x1f\x7f-\x9f"\\/;]')


def attachment(original: OriginalFile) -> Response:
    """The open file as a download named like the original; the file is closed once sent."""
    response = send_file(
        original.file,
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=download_name(original.name),
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers.update(ATTACHMENT_HEADERS)
    response.content_length = original.size
    return response


def download_name(name: str) -> str:
    """The file's name, with characters that could break out of the Content-Disposition header replaced."""
    return UNSAFE_NAME_CHARACTERS.sub("_", name).strip() or "original"
