"""Whoosh's own on-disk format (W3), tuned for many rare terms: names, dates and unique ids.

Two changes, both inside whoosh's extension points, so every whoosh reader reads the result:

- The postings of a term found in few documents are kept in its term-index entry ("inlined",
  a W3 feature whoosh leaves off) instead of a block of their own in the postings file. Most
  terms of a news collection are that rare, and each block costs a header, a pickle and a zlib
  stream: inlining shrinks the index and spares the build as many blocks.
- Writing a segment's postings is whoosh's loop without its per-posting type checks and
  calls: each field's document lengths are read into a list once, not looked up through
  whoosh's column reader for every posting.

A segment records the codec it was written with, so an index written with this one is read
with it too.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3FieldWriter, W3PerDocReader, W3PostingsWriter, _lenfield
from whoosh.util.numeric import byte_to_length

# Terms found in fewer documents than this keep their postings in the term index.
INLINE_LIMIT = 4
DECODED_LENGTHS = [byte_to_length(lbyte) for lbyte in range(256)]  # whoosh stores a length in one byte


def field_lengths(reader, fieldname: str) -> list[int]:
    """Every document's length of a field in one segment (0 for none): from our codec's
    in-memory lengths, or whoosh's per-document lookup for a segment another codec wrote."""
    perdoc = reader._perdoc
    if isinstance(perdoc, LengthsInMemory):
        return perdoc.field_lengths(fieldname) or [0] * reader.doc_count_all()
    return [reader.doc_field_length(doc, fieldname) or 0 for doc in range(reader.doc_count_all())]


class SeedsearchCodec(W3Codec):
    def __init__(self):
        super().__init__(inlinelimit=INLINE_LIMIT)

    def field_writer(self, storage, segment):
        return FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return InliningPostingsWriter(
            dbfile, blocklimit=self._blocklimit, byteids=byteids, compression=self._compression
        )

    def per_document_reader(self, storage, segment):
        return LengthsInMemory(storage, segment)


class FieldWriter(W3FieldWriter):
    def add_postings(self, schema, lengths, items):
        """Whoosh's loop over sorted (field, term, document, weight, value) postings, leaner."""
        field = text = None
        for fieldname, btext, docnum, weight, value in items:
            if fieldname != field:
                if text is not None:
                    self.finish_term()
                if field is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                field, text = fieldname, None
                field_lengths = lengths.field_lengths(fieldname) if lengths else None
            if btext != text:
                if text is not None:
                    self.finish_term()
                self.start_term(btext)
                text = btext
                add_posting = self._postwriter.add_posting
            add_posting(docnum, weight, value or b"", field_lengths[docnum] if field_lengths else 0)
        if text is not None:
            self.finish_term()
        if field is not None:
            self.finish_field()


class InliningPostingsWriter(W3PostingsWriter):
    """W3's postings writer with its inlining made to work (whoosh 2.7 calls a method that
    W3TermInfo does not have, which is why W3Codec ships with inlining off)."""

    def add_posting(self, id_, weight, vbytes, length=None):
        """W3's, without the type checks: the postings come from whoosh's own writer."""
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:  # noqa: PLR1730 - once per posting: cheaper than max()
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:  # noqa: PLR1730
                self._maxlength = length

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
    """Per-document values, with each field's lengths read into a list on first use."""

    def __init__(self, storage, segment):
        super().__init__(storage, segment)
        self._lengths = {}

    def field_lengths(self, fieldname) -> list[int] | None:
        """Every document's length of the field (0 for none), or None if the segment has none."""
        if fieldname not in self._lengths:
            reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if reader is None:
                self._lengths[fieldname] = None
            else:  # one byte per document, read at once (documents past the end have none)
                stored = reader._dbfile.get(reader._basepos, min(reader._count, self._doccount))
                self._lengths[fieldname] = [DECODED_LENGTHS[lbyte] for lbyte in stored]
                self._lengths[fieldname] += [0] * (self._doccount - len(stored))
        return self._lengths[fieldname]

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self.field_lengths(fieldname)
        if lengths is None:
            return default
        return lengths[docnum] or None  # as W3PerDocReader
