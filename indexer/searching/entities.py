"""One name across the index: how many articles mention it, when, the names most often beside it, the latest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..backend import SearchRequest
from ..schema import FACET_FIELDS
from .results import Hit, make_hit
from .search import most_common
from .searcher import SearchIndex, as_search_index
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
    if facet not in FACET_FIELDS:
        raise ValueError(f"unknown facet: {facet}")
    with as_search_index(index).reading() as reader:
        value = reader.value_of(facet, value)  # "Reagan" -> "Ronald Reagan"
        naming = reader.match(SearchRequest(filters={facet: (value,)}))
        if not naming.total:
            return None
        named_with = {}
        for name in NAME_FACETS:
            counts = reader.value_counts(naming, name)
            counts.pop(value, None) if name == facet else None
            named_with[name] = tuple((other, counts[other]) for other in most_common(counts, top))
        newest = [key for key, _ in reader.rank(naming, "newest", latest)]
        hits = tuple(make_hit(document, frozenset(), None, False) for document in reader.documents(newest))
        return EntityView(facet, value, naming.total, count_timeline(reader.day_counts(naming)), named_with, hits)
