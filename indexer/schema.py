"""The whoosh schema, with each searchable field's boost declared beside it."""

from __future__ import annotations

from whoosh.fields import COLUMN, DATETIME, ID, STORED, Schema

from .analysis import create_plain_analyzer, create_text_analyzer
from .storage.columns import DeflatedBytesColumn
from .storage.formats import Text

# Bump when the schema or the analysis changes, or a class whoosh pickles into an index (analyzers,
# formats, columns, the codec) moves: an index of another version must be rebuilt, and is refused
# before whoosh unpickles it.
SCHEMA_VERSION = 9

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


def create_schema() -> Schema:
    """The one schema every seedsearch index is built with."""
    text = create_text_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
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
