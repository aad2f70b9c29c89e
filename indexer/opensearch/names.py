"""The index-wide merges of names ("Reagan" -> "Ronald Reagan") for an index in a cluster.

The whoosh backend merges when it opens an index, from every document's names. A cluster counts
facets itself, so its documents must carry the merged values: a build computes the merges
(`searching.collection`) from every document's names before it sends them, and an update, whose
new documents may change what a name stands for, re-sends each document whose merged names
changed. Each document keeps its names as extracted (`names`), and the merges are stored with the
build's file list, for the reader: it finds a value by its old name and shows stored documents'
names merged, exactly as the whoosh reader does.
"""

from __future__ import annotations

import dataclasses

from ..documents.files import Document
from ..schema import StoredDocument
from ..searching.collection import NAME_FACETS, Aliases, apply_aliases, collection_aliases

MERGES_ID = "/merges"  # in the file list; no file's id (a relative path) starts with "/"


def with_merges(source: dict, merges: Aliases) -> dict:
    """A document's JSON with its person and org facets merged."""
    source["facets"] |= merged_facets(source["names"], merges)
    return source


def merged_facets(names: dict, merges: Aliases) -> dict[str, list[str]]:
    """A document's person and org facet values (`names`: as extracted) with the merges applied."""
    merged = apply_aliases({facet: [tuple(names.get(facet, ()))] for facet in NAME_FACETS}, merges)
    return {facet: list(merged[facet][0]) for facet in NAME_FACETS}


def collection_merges(all_names: list[dict]) -> Aliases:
    """The merges over every document's names (as extracted)."""
    return collection_aliases({facet: [tuple(names.get(facet, ())) for names in all_names] for facet in NAME_FACETS})


def read_merges(client, physical: str) -> Aliases:
    """The merges stored with a build ({} for a build without)."""
    found = client.get(index=f"{physical}-files", id=MERGES_ID, ignore=404)
    stored = found.get("_source", {}).get("merges", {}) if found.get("found") else {}
    return {facet: {value: tuple(target) for value, target in values.items()} for facet, values in stored.items()}


def settle_merges(client, physical: str, resend, about: dict) -> Aliases:
    """The merges over every document's names, stored with the build (and `about` it); the ids of
    the documents whose merged names differ from those they were sent with go to `resend(ids, merges)`."""
    from opensearchpy.helpers import scan

    query = {"query": {"match_all": {}}, "_source": ["names", "facets.person", "facets.org"]}
    documents = [(hit["_id"], hit["_source"]) for hit in scan(client, index=physical, query=query)]
    merges = collection_merges([source.get("names", {}) for _, source in documents])
    stale = [
        doc_id
        for doc_id, source in documents
        if merged_facets(source.get("names", {}), merges)
        != {facet: source.get("facets", {}).get(facet, []) for facet in NAME_FACETS}
    ]
    if stale:
        resend(stale, merges)
    store_merges(client, physical, merges, about)
    return merges


def store_merges(client, physical: str, merges: Aliases, about: dict) -> None:
    """The merges ((facet, value) pairs as lists) stored with the build, and `about` it (when built, from where)."""
    client.index(index=f"{physical}-files", id=MERGES_ID, body={**about, "merges": merges})


def read_about(client, physical: str) -> dict:
    """What `store_merges` was told about the build ({} for a build without)."""
    found = client.get(index=f"{physical}-files", id=MERGES_ID, _source_excludes=["merges"], ignore=404)
    return found.get("_source", {}) if found.get("found") else {}


def as_document(stored: StoredDocument) -> Document:
    """A stored document as the Document it was made from (every field of one is stored)."""
    fields = {field.name: getattr(stored, field.name) for field in dataclasses.fields(Document)}
    return Document(**fields)
