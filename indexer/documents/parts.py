"""Long texts -> documents of bounded size: each part of a long file is a document of its own.

Extraction and indexing hold several copies of a document's words (lines, names, the
analyzer's terms, postings), so one 20 MB text took a build to 1 GB of memory and made a
20 MB page. Cut into parts of at most PART_CHARS characters, a file costs the memory of one
part at a time, and each part is a page that can be shown.

Part 1 keeps the file's id; part k is "<id>#k" (ids with "#" are already a file's records).
Every part carries the first part's title (with "part k of n"), date and source, and the
number of the page it starts on.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections.abc import Iterator

from .extract import extract_document
from .files import Document, SourceText
from .pages import page_at

PART_CHARS = 500_000
# A cut looks back this far from its limit for a page break (a PDF's form feed), then a paragraph
# break, then a line break, then a space.
CUT_WINDOW = 50_000


def extract_parts(source: SourceText) -> Iterator[Document]:
    """The documents of one source text: itself when short, else one per part, extracted one at a time."""
    if len(source.text) <= PART_CHARS:
        yield extract_document(source)
        return
    cuts = part_boundaries(source.text)
    count = len(cuts) - 1
    first = None
    for number, (start, end) in enumerate(itertools.pairwise(cuts), start=1):
        text = source.text[start:end]
        if first is None:
            first = extract_document(dataclasses.replace(source, text=text))
            yield dataclasses.replace(first, title=part_title(first.title, 1, count))
            continue
        part = dataclasses.replace(
            source,
            id=f"{source.id}#{number}",
            format="part",  # no title or source line of its own: the first part's are given
            text=text,
            title=part_title(first.title, number, count),
            date=first.date.isoformat() if first.date else None,
            source=first.source,
        )
        yield dataclasses.replace(
            extract_document(part),
            title=part.title,
            source=first.source,
            date=first.date,
            first_page=page_at(source.text, start),
        )


PART_TITLE = re.compile(r" \(part (\d+) of (\d+)\)$")


def part_title(title: str, number: int, count: int) -> str:
    return f"{title} (part {number} of {count})"


def part_neighbours(doc_id: str, title: str) -> tuple[str | None, str | None]:
    """The ids of the parts before and after the document `doc_id` titled `title`, if it is a
    part; whether they exist is for the index to say (a title may just end like a part's)."""
    match = PART_TITLE.search(title)
    if not match:
        return None, None
    number, count = int(match.group(1)), int(match.group(2))
    if number > 1 and not doc_id.endswith(f"#{number}"):
        return None, None
    first = doc_id if number == 1 else doc_id[: -len(f"#{number}")]
    previous = None if number == 1 else first if number == 2 else f"{first}#{number - 1}"
    following = f"{first}#{number + 1}" if number < count else None
    return previous, following


def part_boundaries(text: str) -> list[int]:
    """Offsets that cut `text` into parts of about equal size, none over PART_CHARS characters,
    each at the last page break (else paragraph break, line break, space) before its end: [0, ..., len(text)]."""
    cuts = [0]
    while len(text) - cuts[-1] > PART_CHARS:
        start = cuts[-1]
        remaining = len(text) - start
        limit = start + math.ceil(remaining / math.ceil(remaining / PART_CHARS))  # an equal share of the rest
        for separator in ("\f", "\n\n", "\n", " "):
            cut = text.rfind(separator, max(start + 1, limit - CUT_WINDOW), limit)
            if cut > start:
                cuts.append(cut + len(separator))
                break
        else:
            cuts.append(limit)
    cuts.append(len(text))
    return cuts
