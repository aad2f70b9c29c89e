"""Whoosh's segment writer, with our codec and a faster external sort of the postings."""

from __future__ import annotations

import pickle
from itertools import islice

from whoosh.writing import PostingPool, SegmentWriter

from .codec import SeedsearchCodec

# Postings per pickled chunk of a sorted run on disk.
CHUNK = 8192


def open_writer(index, limitmb: int, *, lock: bool = True) -> SegmentWriter:
    """A writer adding one new segment to `index`: the index's writer when `lock`, else a worker's.

    Segments are written as separate files, not one compound file: whoosh reads a compound
    file through a copy in memory, separate files through the page cache.
    """
    return Writer(index, _lk=lock, limitmb=limitmb, compound=False, codec=SeedsearchCodec())


class Writer(SegmentWriter):
    def __init__(self, index, *, limitmb: int, **options):
        super().__init__(index, limitmb=limitmb, **options)
        self.pool = ChunkedPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)


class ChunkedPostingPool(PostingPool):
    """Whoosh's pool of postings to sort, writing each sorted run to disk in pickled chunks of
    postings instead of one pickle per posting, and adding postings without type checks."""

    def add(self, item):
        """Whoosh's, with its estimate of the posting's size in memory."""
        fieldname, text, _, _, value = item
        self.fieldnames.add(fieldname)
        self.currentsize += 150 + len(fieldname) + 2 * len(text) + len(value or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def _write_run(self, f, items):
        items = iter(items)
        while chunk := list(islice(items, CHUNK)):
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)
