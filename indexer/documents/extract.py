"""Source text -> Document: title, source, dates, body without boilerplate, language, names."""

from __future__ import annotations

import datetime
import re

from .boilerplate import strip_boilerplate
from .dates import mentioned_dates, publication_date
from .files import Document, SourceText
from .language import detect_language
from .markdown import markdown_text
from .names import extract_names

MAX_TITLE_CHARS = 300
HEADER_LINES = 6
HEADER_CHARS = 400
SOURCE_LABEL = re.compile(r"^(blog|source|site|website|источник|сайт)\s*:\s*(\S.{0,150})$", re.IGNORECASE)
URL_PREFIX = re.compile(r"^(https?://)?(www\.)?", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?:;,]$")
MARKDOWN_HEADING = re.compile(r"^#+\s*")
MARKDOWN_SUFFIX = ".md"  # read as text, shown without its syntax
BLANK_RUNS = re.compile(r"\n{3,}")
# The line breaks of str.splitlines but the form feed, which stays in the body as a page break.
LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\x1c-\x1e\x85\u2028\u2029]")


def extract_document(source: SourceText) -> Document:
    """Every field of one document, from its text and the metadata its format gave."""
    text = markdown_text(source.text) if source.path.lower().endswith(MARKDOWN_SUFFIX) else source.text
    lines = LINE_BREAKS.split(text)
    title_index = first_text_line(lines)
    title = source.title or (clean_title(lines[title_index]) if title_index is not None else "")
    source_index = source_line(lines, title_index) if source.format == "text" else None
    site = source.source or labelled_source(lines) or (lines[source_index].strip() if source_index else None)
    header = "\n".join(lines[: (title_index or 0) + HEADER_LINES])[:HEADER_CHARS]
    date = given_date(source.date) or publication_date(header)
    skip = {source_index} if source_index is not None else set()
    if source.format == "text" and title_index is not None:
        skip.add(title_index)
    body = body_text(lines, skip, title)
    names = extract_names(f"{title}\n\n{body}")
    return Document(
        id=source.id,
        path=source.path,
        title=title or "(untitled)",
        body=body,
        source=site,
        date=date,
        language=detect_language(f"{title}\n{body}"),
        people=tuple(dict.fromkeys(source.people + names.people)),
        organizations=names.organizations,
        places=names.places,
        countries=names.countries,
        dates_mentioned=tuple(mentioned_dates(body)),
        url=source.url,
        author=source.author,
    )


def first_text_line(lines: list[str]) -> int | None:
    """Index of the first non-empty line."""
    return next((i for i, line in enumerate(lines) if line.strip()), None)


def clean_title(line: str) -> str:
    """A title line without Markdown heading marks, whitespace runs or excess length."""
    title = " ".join(MARKDOWN_HEADING.sub("", line).split())
    return title if len(title) <= MAX_TITLE_CHARS else title[: MAX_TITLE_CHARS - 1].rstrip() + "…"


def labelled_source(lines: list[str]) -> str | None:
    """The site named by a "Blog: ..." or "Source: ..." line, without scheme or www."""
    for line in lines:
        match = SOURCE_LABEL.match(line.strip())
        if match:
            return URL_PREFIX.sub("", match.group(2).strip()).rstrip("/")
    return None


def source_line(lines: list[str], title_index: int | None) -> int | None:
    """The line right under the title when it names the publisher (short, not a sentence or date)."""
    if title_index is None or title_index + 1 >= len(lines):
        return None
    line = lines[title_index + 1].strip()
    if not line or len(line) > 200 or len(line.split()) > 25 or SENTENCE_END.search(line):
        return None
    if publication_date(line) is not None or line == lines[title_index].strip():
        return None
    return title_index + 1


def given_date(value: str | None) -> datetime.date | None:
    """A date from the format's metadata: ISO first, else whatever the date parser reads."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return publication_date(value)


def body_text(lines: list[str], skip: set[int], title: str) -> str:
    """The searchable body: no title or source line, no repeated title or date line, no boilerplate."""
    kept = []
    for index, line in enumerate(lines):
        if index in skip:
            continue
        stripped = line.strip()
        in_header = index < HEADER_LINES + min(skip, default=0)
        if in_header and (stripped == title or is_date_line(stripped)):
            continue
        kept.append(line.rstrip())
    return BLANK_RUNS.sub("\n\n", "\n".join(strip_boilerplate(kept))).strip()


def is_date_line(line: str) -> bool:
    """A header line that holds nothing but a date ("Tuesday, April 18th, 2017")."""
    return 0 < len(line.split()) <= 5 and publication_date(line) is not None
