"""What an index holds: documents, fields, top facet values, size on disk."""

from __future__ import annotations

from pathlib import Path

from ..backend import SearchRequest
from ..schema import FACETS
from .searcher import SearchIndex, as_search_index


def index_stats(index: SearchIndex | Path | str, top: int = 5) -> dict:
    """Counts and sizes of the live generation, with each facet's most frequent values."""
    with as_search_index(index).reading() as reader:
        everything = reader.match(SearchRequest())
        facets = {}
        for name in FACETS:
            ranked = sorted(reader.facet_counts(everything, name).items(), key=lambda item: (-item[1], item[0]))
            facets[name] = {"values": len(ranked), "top": [{"value": v, "count": n} for v, n in ranked[:top]]}
        summary = reader.summary()
        return {**summary, "facets": facets, "size_bytes": summary.pop("size_bytes")}
