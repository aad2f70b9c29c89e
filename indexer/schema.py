"""The whoosh schema, with each searchable field's boost declared beside it."""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from .analysis import create_plain_analyzer, create_text_analyzer, create_value_analyzer

# Bump when the schema or the analysis changes: an index of another version must be rebuilt.
SCHEMA_VERSION = 2

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

# Facet name (as in URLs and the API) -> the stored multi-valued field that holds its values.
FACET_FIELDS = {
    "year": "year",
    "person": "people",
    "org": "organizations",
    "place": "places",
    "source": "source_value",
    "lang": "language",
}

VALUE_SEPARATOR = "\x1f"


class VALUES(KEYWORD):
    """Facet values: exact strings joined by VALUE_SEPARATOR, one token each, not scored."""

    def __init__(self, stored: bool = True):
        super().__init__(stored=stored, scorable=False)
        self.analyzer = create_value_analyzer()


def create_schema() -> Schema:
    """The one schema every seedsearch index is built with."""
    text = create_text_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        url=STORED(),
        author=STORED(),
        title=TEXT(analyzer=text, stored=True),
        body=TEXT(analyzer=text, stored=True),
        # Unstemmed words of title and body: exact-form matches, and the vocabulary for
        # did-you-mean and fuzzy queries.
        exact=TEXT(analyzer=create_plain_analyzer(), phrase=False),
        person=TEXT(analyzer=text),
        org=TEXT(analyzer=text),
        place=TEXT(analyzer=text),
        dates=TEXT(analyzer=create_plain_analyzer()),
        source=TEXT(analyzer=text, stored=True),
        date=DATETIME(stored=True, sortable=True),
        year=VALUES(),
        people=VALUES(),
        organizations=VALUES(),
        places=VALUES(),
        source_value=VALUES(stored=False),
        language=VALUES(),
        dates_mentioned=STORED(),
    )


def join_values(values) -> str:
    """Facet values -> the one string a value field indexes."""
    return VALUE_SEPARATOR.join(value for value in values if value)


def split_values(stored: str | None) -> list[str]:
    """The stored string of a value field -> its values."""
    return [value for value in (stored or "").split(VALUE_SEPARATOR) if value]
