"""The whoosh schema, with each searchable field's boost declared beside it."""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from .analysis import create_plain_analyzer, create_text_analyzer, create_value_analyzer

# Bump when the schema or the analysis changes: an index of another version must be rebuilt.
SCHEMA_VERSION = 1

# Searchable fields and their query-time weights. Whoosh's own `field_boost` multiplies term
# frequency at index time, which BM25 saturates; a weight on the field's score is what we mean.
FIELD_BOOSTS = {
    "title": 3.0,
    "person": 2.0,
    "org": 2.0,
    "place": 2.0,
    "dates": 1.5,
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
        title=TEXT(analyzer=text, stored=True, spelling=True),
        body=TEXT(analyzer=text, stored=True, spelling=True),
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
