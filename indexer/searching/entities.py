"""One name across the index: how many articles mention it, when, the names most often beside it, the latest."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from ..schema import FACET_FIELDS, stored_document
from .collection import with_merged_names
from .results import Hit, make_hit
from .search import most_common
from .searcher import SearchIndex, as_search_index, is_server_index
from .timeline import Timeline, count_timeline

NAME_FACETS = ("person", "org", "place")


@dataclass(frozen=True)
class EntityView:
    facet: str
    value: str
    total: int  # articles naming it
    timeline: Timeline
    named_with: dict[str, tuple[tuple[str, int], ...]]  # facet -> (value, articles naming both), most first
    latest: tuple[Hit, ...]


def get_entity(
    index: SearchIndex | Path | str, facet: str, value: str, *, top: int = 10, latest: int = 10
) -> EntityView | None:
    """The articles naming `value` in `facet`, counted; None when no article does."""
    if is_server_index(index):
        return index.get_entity(facet, value, top=top, latest=latest)
    if facet not in FACET_FIELDS:
        raise ValueError(f"unknown facet: {facet}")
    with as_search_index(index).generation() as live:
        value = live.facet_tables[facet].renamed.get(value, value)  # "Reagan" -> "Ronald Reagan"
        docs = live.facet_tables[facet].value_docs.get(value)
        if not docs:
            return None
        named_with = {}
        for name in NAME_FACETS:
            counts = live.facet_tables[name].count(docs)
            counts.pop(value, None) if name == facet else None
            named_with[name] = tuple((other, counts[other]) for other in most_common(counts, top))
        merges = live.facet_tables["person"].merges
        newest = islice((doc for doc in live.newest if doc in docs), latest)
        hits = tuple(
            make_hit(
                with_merged_names(stored_document(live.searcher.stored_fields(doc)), merges), frozenset(), None, False
            )
            for doc in newest
        )
        return EntityView(facet, value, len(docs), count_timeline(live.days.count(docs)), named_with, hits)
