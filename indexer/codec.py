"""Whoosh's own on-disk format (W3), tuned for many rare terms: names, dates and unique ids.

Two changes, both inside whoosh's extension points, so every whoosh reader reads the result:

- The postings of a term found in few documents are kept in its term-index entry ("inlined",
  a W3 feature whoosh leaves off) instead of a block of their own in the postings file. Most
  terms of a news collection are that rare, and each block costs a header, a pickle and a zlib
  stream: inlining shrinks the index and spares the build as many blocks.
- Writing a segment looks up every posting's field length; the lengths are read once per
  field into memory instead of once per posting through whoosh's column reader.

A segment records the codec it was written with, so an index written with this one is read
with it too.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, W3PostingsWriter, _lenfield
from whoosh.util.numeric import byte_to_length

# Terms found in fewer documents than this keep their postings in the term index.
INLINE_LIMIT = 4


class SeedsearchCodec(W3Codec):
    def __init__(self):
        super().__init__(inlinelimit=INLINE_LIMIT)

    def postings_writer(self, dbfile, byteids=False):
        return InliningPostingsWriter(
            dbfile, blocklimit=self._blocklimit, byteids=byteids, compression=self._compression
        )

    def per_document_reader(self, storage, segment):
        return LengthsInMemory(storage, segment)


class InliningPostingsWriter(W3PostingsWriter):
    """W3's postings writer with its inlining made to work (whoosh 2.7 calls a method that
    W3TermInfo does not have, which is why W3Codec ships with inlining off)."""

    def finish_postings(self):
        if self.written() or len(self._ids) >= INLINE_LIMIT:
            return super().finish_postings()
        terminfo = self._terminfo
        terminfo.add_block(self)
        weights = [int(weight) if weight.is_integer() else weight for weight in self._weights]  # pickle smaller
        values = tuple(self._values) or None  # formats without values (facets) store none, as W3 blocks do
        terminfo._inlined = (tuple(self._ids), tuple(weights), values)
        self._terminfo = None
        return terminfo


class LengthsInMemory(W3PerDocReader):
    """Per-document values, with each field's length column read into memory on first use."""

    def __init__(self, storage, segment):
        super().__init__(storage, segment)
        self._lengths = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if reader is None:
                return default
            lengths = self._lengths[fieldname] = bytes(reader[n] for n in range(self._doccount))
        lbyte = lengths[docnum]
        return byte_to_length(lbyte) if lbyte else None
