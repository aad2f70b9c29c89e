"""Whoosh's segment writer, with our codec, a leaner loop over a document's fields and a faster
external sort of the postings."""

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

    def commit_with(self, segments: list) -> None:
        """Commit this writer's own changes (deletions, documents) with segments that worker
        processes' writers finished, as whoosh's multiprocessing writer does."""
        if not segments:
            self.commit()
            return
        final = self._merge_segments(None, None, None)
        if self._added:
            final.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(final + segments)
        self._finish()

    def finish_segment(self):
        """A worker's writer (`lock=False`) done: its segment for `commit_with`, None when it wrote nothing."""
        if self._added:
            return self._finalize_segment()
        self._close_segment()
        return None

    def add_document(self, **fields):
        """Whoosh's, for the documents seedsearch writes: no document or field boosts, term
        vectors, spelling fields or `_stored_` values, so each field's postings go to the pool
        in one call."""
        self._check_state()
        self._check_fields(self.schema, fields)
        perdoc, docnum = self.perdocwriter, self.docnum
        perdoc.start_doc(docnum)
        try:
            for fieldname in sorted(fields):
                value = fields[fieldname]
                if value is None:
                    continue
                field = self.schema[fieldname]
                length = 0
                if field.indexed:
                    postings = list(field.index(value))
                    self.pool.add_postings(fieldname, docnum, postings)
                    if field.scorable:
                        length = sum(frequency for _, frequency, _, _ in postings)
                perdoc.add_field(fieldname, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(fieldname, field.column_type, field.to_column_value(value))
        except BaseException:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1


class ChunkedPostingPool(PostingPool):
    """Whoosh's pool of postings to sort, writing each sorted run to disk in pickled chunks of
    postings instead of one pickle per posting, and adding postings without type checks."""

    def add(self, item):
        """Whoosh's, with its estimate of the posting's size in memory."""
        fieldname, text, _, _, value = item
        self.fieldnames.add(fieldname)
        self.currentsize += posting_size(fieldname, text, value)
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def add_postings(self, fieldname: str, docnum: int, postings: list) -> None:
        """A document's (term, frequency, weight, value) postings in one field, as `add` adds one."""
        self.fieldnames.add(fieldname)
        self.current.extend((fieldname, text, docnum, weight, value) for text, _, weight, value in postings)
        self.currentsize += sum(posting_size(fieldname, text, value) for text, _, _, value in postings)
        if self.currentsize > self.limit:
            self.save()

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


def posting_size(fieldname: str, text: bytes, value: bytes | None) -> int:
    """Whoosh's estimate of a pooled posting's bytes in memory."""
    return 150 + len(fieldname) + 2 * len(text) + len(value or b"")
