"""Binary document formats -> source texts: one small module per format family.

Each module has `read(data, suffix, rel) -> (source texts, warnings)` and raises SkipFile with
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
}
READER_SUFFIXES = frozenset(READER_MODULES)


def read_document(data: bytes, suffix: str, rel: str):
    """The source texts and warnings of a file in one of READER_SUFFIXES, or SkipFile with the reason."""
    module = importlib.import_module(f"{__name__}.{READER_MODULES[suffix]}")
    return module.read(data, suffix, rel)
