"""One open index per process, switched to the new generation as soon as a build publishes it."""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..schema import FIELD_BOOSTS
from ..storage.codec import column_values
from ..store import IndexStateError, corrupt_index, current_generation, open_index
from .facets import FacetTable, facet_table, read_facet_tables
from .folding import VersionGroups, load_version_groups
from .matching import WhooshReader
from .query import ParsedQuery, parse_query
from .scoring import BM25F, PostingScorer
from .timeline import day_numbers
from .vocabulary import Vocabulary

logger = logging.getLogger(__name__)

KEEP_RETIRED = 2
REMEMBERED_QUERIES = 256
UNDATED = 2**63  # whoosh's DATETIME column holds 2**64 - 1 for documents without a date


@dataclass(frozen=True)
class OpenGeneration:
    """A generation's searcher with what is computed once from it."""

    name: str
    searcher: object
    live_docs: frozenset[int]  # document numbers not deleted
    newest: tuple[int, ...]  # live documents by date, undated last
    oldest: tuple[int, ...]
    facet_tables: dict[str, FacetTable]
    scorer: PostingScorer  # word queries matched and scored from cached postings
    days: FacetTable  # each live document's publication day (date.toordinal()), UNDATED_DAY if none
    vocabulary: (
        Vocabulary  # each field's terms, read on first use: what patterns expand to, completions, near spellings
    )
    # parse_query against this vocabulary, the last REMEMBERED_QUERIES remembered: a page reads its query
    # for matching, suggestions and relaxations, and paging, a facet click or the next keystroke ask again.
    parse: Callable[..., ParsedQuery]
    versions: VersionGroups  # near-identical documents, folded into one result
    folder: Path  # the generation's folder


class SearchIndex:
    """The live generation of an index folder, reopened when CURRENT changes.

    Opening a whoosh searcher copies the index into memory, so it is done once per
    generation, not per request. Whoosh searchers are not thread-safe: use `generation()`
    as a context manager, which serialises access within the process.
    """

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._open: OpenGeneration | None = None
        self._retired: list[OpenGeneration] = []  # replaced, kept open for exports still reading them
        self._lock = threading.RLock()
        self._watched = threading.Event()  # set while a watcher switches generations (see watch)
        self._unwatched = threading.Event()  # set to stop the watcher
        # Whoosh leaves its files open until a searcher is closed. Closed when this object goes, by
        # a finalizer (which runs before any of the files' own, even in a garbage cycle) not __del__.
        self._searchers: list = []
        weakref.finalize(self, close_all, self._searchers)

    @contextlib.contextmanager
    def generation(self):
        """The up-to-date open generation, held exclusively for the duration of the block."""
        with self._lock:
            yield self._refresh()

    def _refresh(self) -> OpenGeneration:
        if self._open is not None and self._watched.is_set():
            return self._open  # the watcher switches to a new generation once it is warm
        live = current_generation(self.index_dir)
        if self._open is not None and live is not None and live.name == self._open.name:
            return self._open
        self._install(self._open_generation(live))
        return self._open

    def _open_generation(self, live: Path | None, *, warm: bool = False) -> OpenGeneration:
        index = open_index(self.index_dir, live)  # raises a clear error when missing or damaged
        searcher = None
        try:
            searcher = index.searcher(weighting=BM25F())
            opened = open_generation(live, searcher)
            if warm:
                warm_generation(opened)
            return opened
        except Exception as error:  # a damaged file fails in whichever reader meets it first
            if searcher is not None:
                searcher.close()
            raise corrupt_index(self.index_dir, f"{type(error).__name__}: {error}") from error

    def _install(self, opened: OpenGeneration) -> None:
        """Make `opened` the live generation (the lock held); the one it replaces is retired."""
        self._searchers.append(opened.searcher)
        if self._open is not None:
            self._retired.append(self._open)
            while len(self._retired) > KEEP_RETIRED:
                retired = self._retired.pop(0).searcher
                self._searchers.remove(retired)
                retired.close()
        self._open = opened

    def warm(self) -> str:
        """Open the live generation now and build what searches otherwise build on first use (see
        warm_generation): a server does this before it takes requests. The generation's name."""
        with self._lock:
            live = self._refresh()
            warm_generation(live)
            return live.name

    def switch(self) -> bool:
        """Open and warm the live generation if it is new, while searches go on with the one open,
        then switch to it: True if it switched. Raises IndexStateError when it cannot be opened."""
        live = current_generation(self.index_dir)
        with self._lock:
            if live is None or (self._open is not None and live.name == self._open.name):
                return False
        opened = self._open_generation(live, warm=True)  # outside the lock: searches are not held up
        with self._lock:
            if self._open is not None and self._open.name == opened.name:
                opened.searcher.close()  # a search opened it meanwhile
                return False
            self._install(opened)
        return True

    def watch(self, interval: float = 1.0) -> threading.Thread:
        """Switch to each new generation from a daemon thread that looks for one every `interval`
        seconds. Meanwhile searches use the generation open, so none waits for a new one to open;
        a generation that cannot be opened is logged and skipped until CURRENT changes again."""
        self._watched.set()
        self._unwatched.clear()
        thread = threading.Thread(
            target=watch_generations, args=(weakref.ref(self), self._unwatched, interval), daemon=True
        )
        thread.start()
        return thread

    def unwatch(self) -> None:
        """Stop the watcher: searches switch to a new generation themselves again."""
        self._unwatched.set()
        self._watched.clear()

    @contextlib.contextmanager
    def reading(self):
        """The up-to-date open generation as a `backend.IndexReader`, held exclusively for the block."""
        with self.generation() as live:
            yield WhooshReader(live)

    @contextlib.contextmanager
    def holding(self, reader: WhooshReader):
        """Exclusive use of a generation opened earlier, even if another one is live by now."""
        opened = reader.live
        with self._lock:
            if opened is not self._open and opened not in self._retired:
                raise IndexStateError("the index was rebuilt several times while this was read: run it again")
            yield opened

    def close(self) -> None:
        self.unwatch()
        with self._lock:
            close_all(self._searchers)
            self._open, self._retired = None, []


def open_generation(generation: Path, searcher) -> OpenGeneration:
    """Read what every search needs from a generation's searcher: live documents, date orders, facets."""
    reader = searcher.reader()
    live_docs = frozenset(reader.all_doc_ids())
    vocabulary = Vocabulary(reader)
    dates = column_values(reader, "date", UNDATED)  # in one pass: each lookup would be a file read
    newest, oldest = date_orders(dates, live_docs)
    return OpenGeneration(
        generation.name,
        searcher,
        live_docs,
        newest,
        oldest,
        read_facet_tables(searcher, live_docs),
        PostingScorer(searcher, live_docs),
        facet_table([(day,) if doc in live_docs else () for doc, day in enumerate(day_numbers(dates, UNDATED))]),
        vocabulary,
        functools.lru_cache(REMEMBERED_QUERIES)(functools.partial(parse_query, vocabulary=vocabulary)),
        load_version_groups(generation, searcher, live_docs),
        generation,
    )


def warm_generation(live: OpenGeneration) -> None:
    """Build now what searches otherwise build on first use: each searched field's length norms and
    terms, the words as written with their near-spelling index, each facet's folded values, and the
    stored documents' offsets (read when the first hit is shown). Opening the generation has
    built its facet tables and name merges already."""
    for fieldname in FIELD_BOOSTS:
        live.scorer.norms(fieldname)
    live.vocabulary.warm(FIELD_BOOSTS)
    for table in live.facet_tables.values():
        _ = table.folded  # a cached property: computed here, once
    if live.live_docs:
        live.searcher.stored_fields(min(live.live_docs))


def watch_generations(index_ref: Callable[[], SearchIndex | None], stop: threading.Event, interval: float) -> None:
    """SearchIndex.watch's loop: switch to each new generation until stopped or the index is gone."""
    failed = None
    while not stop.wait(interval):
        index = index_ref()
        if index is None:
            return
        live = current_generation(index.index_dir)
        if live is not None and live.name != failed:
            try:
                index.switch()
            except IndexStateError as error:
                failed = live.name  # tried again when a newer generation is published
                logger.warning("staying on the generation open: %s", error)
        del index  # no reference held while waiting: the index can be collected


def close_all(searchers: list) -> None:
    while searchers:
        searchers.pop().close()


@functools.lru_cache(maxsize=16)
def _search_index_for(index_dir: Path) -> SearchIndex:
    return SearchIndex(index_dir)


def as_search_index(index: SearchIndex | Path | str) -> SearchIndex:
    """The SearchIndex itself, or the process's shared one for an index folder path; an index a
    search server holds (indexer.opensearch.OpenSearchIndex) reads itself through the same seam."""
    if isinstance(index, SearchIndex) or is_server_index(index):
        return index
    return _search_index_for(Path(index).resolve())


def is_server_index(index) -> bool:
    """True for an index a search server holds: anything but a SearchIndex or a folder path."""
    return not isinstance(index, (SearchIndex, Path, str))


def date_orders(dates, live_docs: frozenset[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Live documents newest first and oldest first, ties in file order, undated last in both.

    Whoosh stores a missing date as the largest number, which its own reverse sort puts first.
    """
    docs = sorted(live_docs)
    dated = [doc for doc in docs if dates[doc] < UNDATED]
    undated = tuple(doc for doc in docs if dates[doc] >= UNDATED)
    newest = sorted(dated, key=lambda doc: -dates[doc])  # sorts are stable: ties keep file order
    oldest = sorted(dated, key=lambda doc: dates[doc])
    return tuple(newest) + undated, tuple(oldest) + undated
