"""Binary document formats -> source texts: one small module per format family.

Each module has `read(data, suffix, rel, options) -> (source texts, warnings)` and raises SkipFile with
a reason a user understands. Modules are imported on first use: their libraries are heavy and most
folders hold none of these formats.
"""

from __future__ import annotations

import importlib

READER_MODULES = {
    ".pdf": "pdf",
    ".docx": "office",
    ".odt": "office",
    ".eml": "mail",
    ".mbox": "mail",
    ".rtf": "rtf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}
READER_SUFFIXES = frozenset(READER_MODULES)
IMAGE_SUFFIXES = frozenset(suffix for suffix, module in READER_MODULES.items() if module == "image")


def read_document(data: bytes, suffix: str, rel: str, options):
    """The source texts and warnings of a file in one of READER_SUFFIXES (read as `options`, a
    documents.ReadOptions, say), or SkipFile with the reason."""
    module = importlib.import_module(f"{__name__}.{READER_MODULES[suffix]}")
    return module.read(data, suffix, rel, options)


def stream_document(file, suffix: str, rel: str, options, warnings: list[str]):
    """The source texts of an open file of a format read piece by piece (a mailbox), as it is
    read; its warnings appended to `warnings`."""
    module = importlib.import_module(f"{__name__}.{READER_MODULES[suffix]}")
    return module.stream(file, suffix, rel, options, warnings)
