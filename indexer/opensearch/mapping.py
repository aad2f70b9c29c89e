"""The OpenSearch index: its settings and mapping, and a Document as the JSON it stores.

The index receives our own analysed terms (the whoosh schema's analyzers: folding, stop words,
English and Russian stemming), joined by spaces and split again by OpenSearch's `whitespace`
analyzer, so that both backends hold the same terms at the same positions and one query parser
serves both. (OpenSearch's minimal distribution has no language analyzers at all.)
"""

from __future__ import annotations

import datetime

from ..documents.files import Document
from ..schema import FACET_FIELDS, StoredDocument, create_schema, document_fields, facet_values, stored_document
from ..searching.collection import NAME_FACETS

SCHEMA = create_schema()
# Fields searched by words: the whoosh schema's, with the same analysis. `exact` (the unstemmed
# words of title and body) has no positions there either.
ANALYSED_FIELDS = ("title", "body", "exact", "person", "org", "place", "dates", "source")
UNPOSITIONED = {"exact"}
# The stored fields a hit is made of, as whoosh stores them.
STORED_FIELDS = (
    "id", "path", "url", "author", "title", "body", "source", "year", "people", "organizations", "places",
    "countries", "language", "dates_mentioned", "first_page",
)  # fmt: skip
MAPPING_VERSION = 2

# The file list of a build, and its merges of names (names.py) in a document of its own.
FILES_BODY = {
    "mappings": {
        "dynamic": False,
        "properties": {
            "path": {"type": "keyword"},
            "skipped": {"type": "text"},
            "merges": {"type": "object", "enabled": False},
        },
    }
}
FILE_ENTRIES = {"exists": {"field": "path"}}


def index_body(shards: int = 1, replicas: int = 1) -> dict:
    """Settings and mapping of a new physical index. One shard by default: facet counts and BM25
    statistics are then exact; a replica on the second node keeps searches answered when one fails."""
    text = {"type": "text", "analyzer": "whitespace", "fielddata": True}  # fielddata: the vocabulary's terms
    properties = {name: dict(text) for name in ANALYSED_FIELDS}
    for name in UNPOSITIONED:
        properties[name]["index_options"] = "freqs"
    properties |= {
        "id": {"type": "keyword"},
        "file": {"type": "keyword"},  # the source file: an update replaces or drops a file's documents
        "date": {"type": "date", "format": "strict_date"},
        "facets": {"properties": {name: {"type": "keyword"} for name in FACET_FIELDS}},  # names merged (names.py)
        "names": {"type": "object", "enabled": False},  # the person and org values as extracted
        "stored": {"type": "object", "enabled": False},
    }
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas, "max_result_window": 1_000_000}
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"seedsearch_mapping": MAPPING_VERSION},
            "_source": {"excludes": list(ANALYSED_FIELDS)},  # terms are for matching; `stored` has the text
            "properties": properties,
        },
    }


def analysed(field: str, text: str) -> str:
    """The field's terms for `text`, space-separated, exactly as the whoosh index holds them."""
    terms, _ = SCHEMA[field].analyzer.indexing_terms(text) if text else ([], 0)
    return " ".join(terms)


def document_source(document: Document) -> dict:
    """A Document as the JSON of its OpenSearch document, its names not yet merged (names.py)."""
    fields = document_fields(document)
    stored = {name: fields.get(name) for name in STORED_FIELDS}
    stored["date"] = document.date.isoformat() if document.date else None
    facets = {name: list(values) for name, values in zip(FACET_FIELDS, facet_values(document))}
    return {
        **{name: analysed(name, fields[name]) for name in ANALYSED_FIELDS},
        "id": document.id,
        "file": document.path,
        "date": stored["date"],
        "facets": facets,
        "names": {name: facets[name] for name in NAME_FACETS},
        "stored": stored,
    }


def stored(source: dict) -> StoredDocument:
    """A hit's `_source` -> the document as the index gives it back (the whoosh stored fields' decoding)."""
    fields = dict(source["stored"])
    date = fields.get("date")
    fields["date"] = datetime.datetime.fromisoformat(date) if date else None
    return stored_document(fields)
