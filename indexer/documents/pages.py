"""Pages of a document: its body's form feeds (a PDF's or a scan's page breaks) count them.

Page k of a body is the text after its (k-1)-th form feed; a later part of a long file starts
at its `first_page` (parts are cut at page breaks). A body without a form feed that starts on
page 1 has no pages to name.
"""

from __future__ import annotations

from .decode import clean_text

PAGE_BREAK = "\f"


def clean_page(text: str) -> str:
    """One page's text, cleaned, with no form feed of its own (those count pages)."""
    return clean_text(text).replace(PAGE_BREAK, "\n").strip()


def is_paged(body: str, first_page: int = 1) -> bool:
    """True when the pages of `body` are worth naming: more than one, or not starting on page 1."""
    return first_page > 1 or PAGE_BREAK in body


def page_at(body: str, offset: int, first_page: int = 1) -> int:
    """The number of the page holding the character at `offset` of `body`."""
    return first_page + body.count(PAGE_BREAK, 0, offset)


def page_bounds(body: str, offset: int) -> tuple[int, int]:
    """Where the page holding the character at `offset` of `body` starts and ends."""
    end = body.find(PAGE_BREAK, offset)
    return body.rfind(PAGE_BREAK, 0, offset) + 1, len(body) if end == -1 else end


def split_pages(body: str, first_page: int = 1) -> list[tuple[int, str]]:
    """(number, text) of each page of `body`."""
    return list(enumerate(body.split(PAGE_BREAK), start=first_page))
