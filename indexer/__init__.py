"""seedsearch's library: read a folder of documents, index them, search them."""

from .build import BuildReport, SourceError, build_index, ensure_index, update_index
from .documents.parts import part_neighbours
from .originals import OriginalFile, OriginalUnavailable, open_original
from .schema import FACETS
from .searching.results import DocumentView, Facet, FacetValue, Hit, Relaxation, SearchPage, ValuePage
from .searching.search import SORTS, find_values, get_document, iter_hits, search
from .searching.searcher import SearchIndex
from .searching.stats import index_stats
from .searching.timeline import Timeline, TimelineBar
from .store import (
    BuildError,
    IndexBusyError,
    IndexCorruptError,
    IndexMissingError,
    IndexStateError,
    IndexVersionError,
    index_is_current,
    rollback,
)

__all__ = [
    "FACETS",
    "SORTS",
    "BuildError",
    "BuildReport",
    "DocumentView",
    "Facet",
    "FacetValue",
    "Hit",
    "IndexBusyError",
    "IndexCorruptError",
    "IndexMissingError",
    "IndexStateError",
    "IndexVersionError",
    "OriginalFile",
    "OriginalUnavailable",
    "Relaxation",
    "SearchIndex",
    "SearchPage",
    "SourceError",
    "Timeline",
    "TimelineBar",
    "ValuePage",
    "build_index",
    "ensure_index",
    "find_values",
    "get_document",
    "index_is_current",
    "index_stats",
    "iter_hits",
    "open_original",
    "part_neighbours",
    "rollback",
    "search",
    "update_index",
]
