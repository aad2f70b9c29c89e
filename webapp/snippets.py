"""The one place untrusted HTML becomes markup: bleach keeps <mark> and nothing else."""

from __future__ import annotations

import bleach
from markupsafe import Markup

ALLOWED_TAGS = frozenset({"mark"})


def clean_snippet(html: str) -> Markup:
    """Highlight HTML from the library (escaped text, <mark> around matches) -> safe Markup.

    The library already escapes the text; this is the second layer: any tag but a bare
    <mark> is escaped, every attribute dropped, comments removed.
    """
    cleaned = bleach.clean(html or "", tags=ALLOWED_TAGS, attributes={}, protocols=[], strip=False, strip_comments=True)
    return Markup(cleaned)  # the only Markup() in the project: bleach has just cleaned it
