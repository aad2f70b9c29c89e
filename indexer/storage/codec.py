"""Whoosh's own on-disk format (W3), tuned for many rare terms: names, dates and unique ids.

Five changes, all inside whoosh's extension points:

- The postings of a term found in few documents are kept in its term-index entry ("inlined",
  a W3 feature whoosh leaves off) instead of a block of their own in the postings file. Most
  terms of a news collection are that rare, and each block costs a header and a zlib
  stream: inlining shrinks the index and spares the build as many blocks.
- Blocks of postings are arrays of the smallest type that holds them, deflated, behind a
  fixed header (`blocks`), not pickles behind a pickled header.
- The term index is a sorted table of compact entries (`terms`), not W3's hash table with
  fixed-size statistics: 18 bytes a term on average (Reuters), not 89.
- Stored fields are deflated with a dictionary of the segment's first documents
  (`storedfields`), not each document on its own.
- Writing a segment's postings is whoosh's loop without its per-posting type checks and
  calls: each field's document lengths are read into a list once, not looked up through
  whoosh's column reader for every posting.

A segment records the codec it was written with, so an index written with this one is read
with it too.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3Codec,
    W3FieldWriter,
    W3PerDocReader,
    W3PerDocWriter,
    W3PostingsWriter,
    W3TermInfo,
    _lenfield,
)
from whoosh.util.numeric import byte_to_length, length_to_byte

from .blocks import BlockMatcher, encode_block
from .storedfields import StoredFieldsColumn
from .terms import TermsReader, TermsWriter, encode_entry, whole

# Terms found in fewer documents than this keep their postings in the term index.
INLINE_LIMIT = 4
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

    def terms_reader(self, storage, segment):
        filename = segment.make_filename(self.TERMS_EXT)
        return TermsReader(
            self, storage.open_file(filename), storage.file_length(filename), segment.open_file(storage, self.POSTS_EXT)
        )

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return BlockMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    def postings_writer(self, dbfile, byteids=False):
        return InliningPostingsWriter(
            dbfile, blocklimit=self._blocklimit, byteids=byteids, compression=self._compression
        )

    def per_document_writer(self, storage, segment):
        return PerDocWriter(self, storage, segment)

    def per_document_reader(self, storage, segment):
        return PerDocReader(storage, segment)


class FieldWriter(W3FieldWriter):
    """W3's field writer, writing our table of terms (`terms`) instead of W3's hash table."""

    def __init__(self, codec, storage, segment):
        self._codec, self._storage, self._segment = codec, storage, segment
        self._fieldname = self._fieldid = self._btext = self._fieldobj = self._format = None
        self._tindex = TermsWriter(self._create_file(W3Codec.TERMS_EXT))
        self._fieldmap = self._tindex.fieldmap
        self._postfile = self._create_file(W3Codec.POSTS_EXT)
        self._postwriter = None
        self._infield = False
        self.is_closed = False

    def start_term(self, btext):
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, W3TermInfo())

    def finish_term(self):
        self._tindex.add(self._fieldid, self._btext, encode_entry(self._postwriter.finish_postings()))

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
        terminfo._inlined = (tuple(self._ids), tuple(map(whole, self._weights)), values)
        self._terminfo = None
        return terminfo

    def _write_block(self, last=False):
        """A block of postings (`blocks`): its size, a fixed header, then the deflated postings."""
        self._terminfo.add_block(self)
        block = encode_block(
            self._ids, self._weights, self._values,
            has_values=self._format.fixed_value_size() != 0,
            maxweight=self._maxweight,
            length_bytes=(length_to_byte(self._minlength), length_to_byte(self._maxlength)),
            compression=self._compression,
        )  # fmt: skip
        self._postfile.write_int(-len(block) if last else len(block))  # negative: the term's last block
        self._postfile.write(block)
        self._blockcount += 1
        self._new_block()


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
