"""Whoosh's own on-disk format (W3), tuned for many rare terms: names, dates and unique ids.

Four changes, all inside whoosh's extension points:

- The postings of a term found in few documents are kept in its term-index entry ("inlined",
  a W3 feature whoosh leaves off) instead of a block of their own in the postings file. Most
  terms of a news collection are that rare, and each block costs a header, a pickle and a zlib
  stream: inlining shrinks the index and spares the build as many blocks.
- Postings are pickled with protocol 3, which stores bytes as bytes. W3 uses protocol 2,
  which spells out each posting's value as a call to `codecs.encode` (about 40 bytes), and
  weights that are whole numbers (frequencies) are pickled as integers, not 9-byte floats.
- Stored fields are deflated with a dictionary of the segment's first documents
  (`storedfields`), not each document on its own.
- Writing a segment's postings is whoosh's loop without its per-posting type checks and
  calls: each field's document lengths are read into a list once, not looked up through
  whoosh's column reader for every posting.

A segment records the codec it was written with, so an index written with this one is read
with it too.
"""

from __future__ import annotations

import pickle
import zlib

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3PerDocReader,
    W3PerDocWriter,
    W3PostingsWriter,
    W3TermInfo,
    _lenfield,
)
from whoosh.util.numeric import byte_to_length, length_to_byte

from .storedfields import StoredFieldsColumn

# Terms found in fewer documents than this keep their postings in the term index.
INLINE_LIMIT = 4
PICKLE_PROTOCOL = 3  # bytes as bytes, and no frame header (protocol 4's costs 9 bytes a term)
STORED_FIELDS = StoredFieldsColumn()
DECODED_LENGTHS = [byte_to_length(lbyte) for lbyte in range(256)]  # whoosh stores a length in one byte


def field_lengths(reader, fieldname: str) -> list[int]:
    """Every document's length of a field in one segment (0 for none): from our codec's
    in-memory lengths, or whoosh's per-document lookup for a segment another codec wrote."""
    perdoc = reader._perdoc
    if isinstance(perdoc, PerDocReader):
        return perdoc.field_lengths(fieldname) or [0] * reader.doc_count_all()
    return [reader.doc_field_length(doc, fieldname) or 0 for doc in range(reader.doc_count_all())]


def column_values(reader, name: str, default) -> list:
    """Every document's raw value in a column, segment by segment: `default` for the documents
    of a segment without the column (whoosh's multi-segment column reader leaves those out)."""
    values = []
    for segment, _ in reader.leaf_readers():
        if segment.has_column(name):
            values += segment.column_reader(name, translate=False)
        else:
            values += [default] * segment.doc_count_all()
    return values


class SeedsearchCodec(W3Codec):
    def __init__(self):
        super().__init__(inlinelimit=INLINE_LIMIT)

    def field_writer(self, storage, segment):
        return FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return InliningPostingsWriter(
            dbfile, blocklimit=self._blocklimit, byteids=byteids, compression=self._compression
        )

    def per_document_writer(self, storage, segment):
        return PerDocWriter(self, storage, segment)

    def per_document_reader(self, storage, segment):
        return PerDocReader(storage, segment)


class FieldWriter(W3FieldWriter):
    def start_term(self, btext):
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, TermInfo())

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
        values = tuple(self._values) or None  # formats without values store none, as W3 blocks do
        terminfo._inlined = (tuple(self._ids), tuple(whole_numbers(self._weights)), values)
        self._terminfo = None
        return terminfo

    def _write_block(self, last=False):
        """W3's block of postings: a pickled header, then the pickled and compressed postings."""
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        postings = (self._mini_ids(), self._mini_weights(), self._mini_values())
        data = pickle.dumps(postings, PICKLE_PROTOCOL)
        if self._compression:
            data = zlib.compress(data, self._compression)
        ids = self._ids
        lengths = length_to_byte(self._minlength), length_to_byte(self._maxlength)
        header = pickle.dumps((len(ids), ids[-1], self._maxweight, self._compression, *lengths), PICKLE_PROTOCOL)
        size = len(header) + len(data)
        self._postfile.write_int(-size if last else size)  # negative: the term's last block
        self._postfile.write(header)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()

    def _mini_weights(self):
        """None if every weight is 1, the one weight if all are equal, else each as W3 reads them."""
        weights = self._weights
        first = weights[0]
        if all(weight == first for weight in weights):
            return None if first == 1.0 else first
        return tuple(whole_numbers(weights))


class TermInfo(W3TermInfo):
    """W3's term statistics, with inlined postings pickled in protocol 3."""

    def to_bytes(self):
        if self._inlined is None:
            return super().to_bytes()
        minlength = 0 if self._minlength is None else length_to_byte(self._minlength)
        statistics = self._struct.pack(
            True, self._weight, self._df, minlength, length_to_byte(self._maxlength), self._maxweight,
            self._minid, self._maxid,
        )  # fmt: skip
        return statistics + pickle.dumps(self._inlined, PICKLE_PROTOCOL)


def whole_numbers(weights):
    """Weights with those that are whole numbers (frequencies) as ints: 2 bytes pickled, not 9."""
    return (int(weight) if weight.is_integer() else weight for weight in weights)


class PerDocWriter(W3PerDocWriter):
    def _create_column(self, fieldname, column):
        super()._create_column(fieldname, STORED_FIELDS if fieldname == "_stored" else column)


class PerDocReader(W3PerDocReader):
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

    def stored_fields(self, docnum):
        return self._cached_reader("_stored", STORED_FIELDS)[docnum] or {}
