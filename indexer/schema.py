"""The stored document's one home: the whoosh schema with each searchable field's boost beside
it, and the two directions between a Document and its fields in the index."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh.fields import COLUMN, DATETIME, ID, STORED, Schema

from .analysis import create_plain_analyzer, create_text_analyzer
from .documents.dates import MONTH_NAMES
from .documents.files import Document
from .documents.folders import file_type, folder_values
from .storage.columns import DeflatedBytesColumn
from .storage.formats import Text

# Bump when the schema or the analysis changes, or a class whoosh pickles into an index (analyzers,
# formats, columns, the codec) moves: an index of another version must be rebuilt, and is refused
# before whoosh unpickles it.
SCHEMA_VERSION = 11

# Searchable fields and their query-time weights. Whoosh's own `field_boost` multiplies term
# frequency at index time, which BM25 saturates; a weight on the field's score is what we mean.
FIELD_BOOSTS = {
    "title": 2.0,
    "exact": 2.0,  # title and body words as written (unstemmed): the exact form scores on top
    "dates": 3.0,  # "November 2015" finds articles of that month first
    "person": 0.5,  # names also count in title and body: this is their extra weight
    "org": 0.5,
    "place": 0.5,
    "source": 1.0,
    "body": 1.0,
}

# The fields analysed by the stemming text analyzer: where a word's stem is looked up.
STEMMED_FIELDS = ("title", "body", "person", "org", "place", "source")

# Facet name (as in URLs and the API) -> the stored field that shows its values in a hit.
# Its keys, in this order, are the library's facets (`indexer.FACETS`).
FACET_FIELDS = {
    "year": "year",
    "person": "people",
    "org": "organizations",
    "place": "places",
    "country": "countries",
    "source": "source",
    "lang": "language",
    "folder": "path",  # each folder holding the file, as a path prefix ("business", "business/markets")
    "type": "path",  # the file's extension
}

# A column of every document's facet values, in FACET_FIELDS order (`encode_facet_values`):
# read in one pass when an index is opened (no postings, no terms).
FACETS_COLUMN = "facet_values"

VALUE_SEPARATOR = "\x1f"
FACET_SEPARATOR = "\x1e"
NO_FACET_VALUES = ((),) * len(FACET_FIELDS)
FACETS = tuple(FACET_FIELDS)


def create_schema() -> Schema:
    """The one schema every seedsearch index is built with."""
    text = create_text_analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),  # a column too: every id read in one pass
        path=STORED(),
        url=STORED(),
        author=STORED(),
        title=Text(analyzer=text, stored=True),
        body=Text(analyzer=text, stored=True),
        # Unstemmed words of title and body: exact-form matches, and the vocabulary for
        # did-you-mean and fuzzy queries.
        exact=Text(analyzer=create_plain_analyzer(), phrase=False),
        person=Text(analyzer=text),
        org=Text(analyzer=text),
        place=Text(analyzer=text),
        dates=Text(analyzer=create_plain_analyzer()),
        source=Text(analyzer=text, stored=True),
        date=DATETIME(stored=True, sortable=True),
        year=STORED(),
        people=STORED(),
        organizations=STORED(),
        places=STORED(),
        countries=STORED(),
        language=STORED(),
        facet_values=COLUMN(DeflatedBytesColumn()),
        dates_mentioned=STORED(),
        first_page=STORED(),  # only when not 1: see pages.py
    )


def join_values(values) -> str:
    """Facet values -> one string (separators inside a value become spaces)."""
    return VALUE_SEPARATOR.join(
        value.replace(VALUE_SEPARATOR, " ").replace(FACET_SEPARATOR, " ") for value in values if value
    )


def split_values(stored: str | None) -> list[str]:
    """The stored string of a value field -> its values."""
    return [value for value in (stored or "").split(VALUE_SEPARATOR) if value]


def encode_facet_values(facets: tuple[tuple[str, ...], ...]) -> bytes:
    """Each facet's values (in FACET_FIELDS order) as the bytes of the facets column."""
    return FACET_SEPARATOR.join(join_values(values) for values in facets).encode()


def decode_facet_values(encoded: bytes) -> tuple[tuple[str, ...], ...]:
    """The facets column's bytes -> each facet's values (none at all for a document without)."""
    if not encoded:
        return NO_FACET_VALUES
    return tuple(
        tuple(values.split(VALUE_SEPARATOR)) if values else () for values in encoded.decode().split(FACET_SEPARATOR)
    )


def document_fields(document: Document) -> dict:
    """A Document as the keyword arguments of whoosh's add_document."""
    date = document.date
    return {
        "id": document.id,
        "path": document.path,
        "url": document.url,
        "author": document.author,
        "title": document.title,
        "body": document.body,
        "exact": f"{document.title}\n{document.body}",
        "person": "\n".join(document.people),
        "org": "\n".join(document.organizations),
        "place": "\n".join(document.places),
        "dates": date_terms(date, document.dates_mentioned),
        "source": document.source or "",
        "date": datetime.datetime(date.year, date.month, date.day) if date else None,
        "year": str(date.year) if date else "",
        "people": join_values(document.people),
        "organizations": join_values(document.organizations),
        "places": join_values(document.places),
        "countries": join_values(document.countries),
        "language": document.language or "",
        FACETS_COLUMN: encode_facet_values(facet_values(document)),
        "dates_mentioned": [d.isoformat() for d in document.dates_mentioned],
        "first_page": document.first_page if document.first_page != 1 else None,
    }


def facet_values(document: Document) -> tuple[tuple[str, ...], ...]:
    """The document's values of each facet, in FACET_FIELDS order."""
    values = {
        "year": (str(document.date.year),) if document.date else (),
        "person": document.people,
        "org": document.organizations,
        "place": document.places,
        "country": document.countries,
        "source": (document.source,) if document.source else (),
        "lang": (document.language,) if document.language else (),
        "folder": folder_values(document.path),
        "type": file_type(document.path),
    }
    return tuple(tuple(dict.fromkeys(values[name])) for name in FACET_FIELDS)


def date_terms(published: datetime.date | None, mentioned: Iterable[datetime.date]) -> str:
    """Dates as words a query can match: "2015-11-10 november 2015"; the publication date twice."""
    dates = ([published] * 2 if published else []) + list(mentioned)
    return " ".join(f"{d.isoformat()} {MONTH_NAMES[d.month - 1][0]} {d.year}" for d in dates)


@dataclass(frozen=True)
class StoredDocument:
    """A document as the index gives it back for showing: a hit, or the document's own page."""

    id: str
    title: str
    body: str
    date: datetime.date | None
    source: str | None
    language: str | None
    people: tuple[str, ...]
    organizations: tuple[str, ...]
    places: tuple[str, ...]
    countries: tuple[str, ...]
    url: str | None
    path: str | None
    author: str | None
    dates_mentioned: tuple[datetime.date, ...]
    first_page: int = 1  # the page the body starts on (documents/pages.py)


def stored_document(fields: dict) -> StoredDocument:
    """A document's stored fields (as `document_fields` wrote them) -> StoredDocument."""
    date = fields.get("date")
    return StoredDocument(
        id=fields["id"],
        title=fields.get("title", ""),
        body=fields.get("body", ""),
        date=date.date() if date else None,
        source=fields.get("source") or None,
        language=fields.get("language") or None,
        people=tuple(split_values(fields.get("people"))),
        organizations=tuple(split_values(fields.get("organizations"))),
        places=tuple(split_values(fields.get("places"))),
        countries=tuple(split_values(fields.get("countries"))),
        url=fields.get("url"),
        path=fields.get("path"),
        author=fields.get("author"),
        dates_mentioned=tuple(datetime.date.fromisoformat(d) for d in fields.get("dates_mentioned") or ()),
        first_page=fields.get("first_page") or 1,
    )
