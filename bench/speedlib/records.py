"""The collection as plain records, read back from a built index: what the query set and the baselines draw on."""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index

from indexer.schema import FACET_FIELDS, split_values
from indexer.store import current_generation

# The facets the baselines count (the library counts all of indexer.FACETS): each name -> the stored
# field, record field and baseline field holding its values.
FACETS = {name: FACET_FIELDS[name] for name in ("year", "person", "org", "place", "source", "lang")}


def read_records(index_dir: Path) -> list[dict]:
    """Every document's stored fields from our built index, as plain records, in id order."""
    index = whoosh_index.open_dir(str(current_generation(index_dir)))
    records = []
    with index.searcher() as searcher:
        for stored in searcher.documents():
            records.append(
                {
                    "id": stored["id"],
                    "title": stored.get("title", ""),
                    "body": stored.get("body", ""),
                    "date": stored.get("date"),
                    "year": stored.get("year", ""),
                    "source": stored.get("source", ""),
                    "language": stored.get("language", ""),
                    "people": split_values(stored.get("people")),
                    "organizations": split_values(stored.get("organizations")),
                    "places": split_values(stored.get("places")),
                }
            )
    index.close()
    return sorted(records, key=lambda record: record["id"])


def record_values(record: dict, field_name: str) -> list[str]:
    """A record's values of one field as a list (a single value, or none, too)."""
    values = record[field_name]
    return values if isinstance(values, list) else ([values] if values else [])


def folder_mb(path: Path) -> float:
    """The size of the files below a folder, in MB."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1048576
