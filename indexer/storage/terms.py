"""A segment's term index: every (field, term) with its statistics and, for a rare term, its
postings, in sorted blocks.

It replaces W3's hash table, which spends about 40 bytes a term on slots, offsets and length
headers, and 23 more on statistics that a rare term's inlined postings already tell (how many
documents, the first and last, the total and the largest weight). Here a term is its bytes
and a small tuple, and the table is:

- blocks of up to BLOCK_TERMS consecutive terms of one field, each one pickle (protocol 3,
  no memo) of (the terms' bytes, their entries), deflated (neighbouring terms share their
  beginnings, and entries their shapes: a third smaller);
- a footer: the field names by number, each block's first key (the field's number and the
  term, as W3 keys) and the blocks' offsets;
- the footer's offset, in the file's last eight bytes.

A lookup is a binary search over the first keys held in memory, one block read, inflated and
unpickled (about 12 microseconds; recent blocks are cached), and a binary search in the block.
"""

from __future__ import annotations

import functools
import io
import pickle
import zlib
from bisect import bisect_left, bisect_right

from whoosh.codec import base
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.reading import TermNotFound
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

BLOCK_TERMS = 32
CACHED_BLOCKS = 512
PICKLE_PROTOCOL = 3
COMPRESSION = 6
INLINED = 5  # the size of an entry holding its postings; an entry pointing to blocks has 9


def encode_entry(terminfo: W3TermInfo) -> tuple:
    """A term's statistics and postings -> its entry in the table.

    A rare term's entry is its inlined postings (ids, weights or None if all are 1, values)
    and its shortest and longest field length, as W3's length bytes. Another term's is where
    its postings are and its statistics.
    """
    lengths = (
        0 if terminfo._minlength is None else length_to_byte(terminfo._minlength),
        length_to_byte(terminfo._maxlength),
    )
    if terminfo._inlined is not None:
        ids, weights, values = terminfo._inlined
        return ids, None if all(weight == 1 for weight in weights) else weights, values, *lengths
    return (
        terminfo._offset, terminfo._length, terminfo._df, whole(terminfo._weight), whole(terminfo._maxweight),
        terminfo._minid, terminfo._maxid, *lengths,
    )  # fmt: skip


def decode_entry(entry: tuple) -> W3TermInfo:
    terminfo = W3TermInfo()
    if len(entry) == INLINED:
        ids, weights, values, minlength, maxlength = entry
        weights = weights or (1,) * len(ids)
        terminfo._inlined = ids, weights, values
        terminfo._df, terminfo._weight, terminfo._maxweight = len(ids), sum(weights), max(weights)
        terminfo._minid, terminfo._maxid = ids[0], ids[-1]
    else:
        offset, length, df, weight, maxweight, minid, maxid, minlength, maxlength = entry
        terminfo._offset, terminfo._length = offset, length
        terminfo._df, terminfo._weight, terminfo._maxweight = df, weight, maxweight
        terminfo._minid, terminfo._maxid = minid, maxid
    terminfo._minlength, terminfo._maxlength = byte_to_length(minlength), byte_to_length(maxlength)
    return terminfo


def entry_frequency(entry: tuple):
    """The term's total weight (its frequency in the field), without decoding the entry."""
    if len(entry) == INLINED:
        return len(entry[0]) if entry[1] is None else sum(entry[1])
    return entry[3]


def entry_doc_frequency(entry: tuple) -> int:
    return len(entry[0]) if len(entry) == INLINED else entry[2]


def whole(weight):
    """A weight that is a whole number as an int: pickled in 2 or 3 bytes, not 9."""
    return int(weight) if float(weight).is_integer() else weight


def dumps(value) -> bytes:
    """`value` pickled without a memo: no bytes spent on back-references a block never uses."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, PICKLE_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


class TermsWriter:
    """Writes the table of one segment; terms must come in key order (field, then term)."""

    def __init__(self, dbfile):
        self._dbfile = dbfile
        self.fieldmap: dict[str, int] = {}  # field name -> number, in the order fields are written
        self._first_keys: list[bytes] = []
        self._offsets: list[int] = []
        self._fieldnum = None
        self._terms: list[bytes] = []
        self._entries: list[tuple] = []

    def add(self, fieldnum: int, btext: bytes, entry: tuple) -> None:
        if fieldnum != self._fieldnum or len(self._terms) == BLOCK_TERMS:
            self._write_block()
            self._fieldnum = fieldnum
        self._terms.append(btext)
        self._entries.append(entry)

    def _write_block(self) -> None:
        if self._terms:
            self._first_keys.append(pack_ushort(self._fieldnum) + self._terms[0])
            self._offsets.append(self._dbfile.tell())
            self._dbfile.write(zlib.compress(dumps((tuple(self._terms), tuple(self._entries))), COMPRESSION))
            self._terms, self._entries = [], []

    def close(self) -> None:
        self._write_block()
        footer = self._dbfile.tell()
        fieldnames = sorted(self.fieldmap, key=self.fieldmap.get)
        self._dbfile.write(pickle.dumps((fieldnames, self._first_keys, self._offsets), PICKLE_PROTOCOL))
        self._dbfile.write_long(footer)
        self._dbfile.close()


class TermsReader(base.TermsReader):
    def __init__(self, codec, dbfile, length: int, postfile):
        self._codec = codec
        self._dbfile = dbfile
        self._postfile = postfile
        footer = dbfile.get_long(length - 8)
        self._fieldnames, self._first_keys, offsets = pickle.loads(dbfile.get(footer, length - 8 - footer))
        self._fieldmap = {name: number for number, name in enumerate(self._fieldnames)}
        self._extents = list(zip(offsets, [*offsets[1:], footer]))
        self._block = functools.lru_cache(CACHED_BLOCKS)(self._read_block)

    def _read_block(self, number: int) -> tuple[tuple[bytes, ...], tuple[tuple, ...]]:
        start, end = self._extents[number]
        return pickle.loads(zlib.decompress(self._dbfile.get(start, end - start)))

    def _position(self, fieldname: str, btext: bytes) -> tuple[int, int]:
        """(block, index in block) of the first term at or after (fieldname, btext)."""
        key = pack_ushort(self._fieldmap.get(fieldname, 65535)) + btext  # W3's key for an unknown field
        number = bisect_right(self._first_keys, key) - 1
        if number < 0:
            return 0, 0
        terms = self._block(number)[0]
        if self._first_keys[number][:2] != key[:2]:  # the block is of an earlier field
            return number, len(terms)
        return number, bisect_left(terms, btext)

    def _entry(self, fieldname: str, btext: bytes) -> tuple:
        number, index = self._position(fieldname, btext)
        if number < len(self._extents):
            terms, entries = self._block(number)
            if index < len(terms) and terms[index] == btext:
                return entries[index]
        raise KeyError((fieldname, btext))

    def _entries_from(self, start: int, index: int):
        """(field name, term bytes, entry) of every term from a position to the end."""
        for number in range(start, len(self._extents)):
            fieldname = self._fieldnames[int.from_bytes(self._first_keys[number][:2], "big")]
            terms, entries = self._block(number)
            for at in range(index if number == start else 0, len(terms)):
                yield fieldname, terms[at], entries[at]

    def field_terms(self, fieldname: str) -> tuple[list[bytes], list[int]]:
        """Every term of a field in order, and each one's document frequency: read a block at a time,
        past the block cache (a whole field would flush it) and without decoding entries."""
        terms: list[bytes] = []
        frequencies: list[int] = []
        if fieldname not in self._fieldmap:
            return terms, frequencies
        field_key = pack_ushort(self._fieldmap[fieldname])
        for number in range(bisect_left(self._first_keys, field_key), len(self._extents)):
            if self._first_keys[number][:2] != field_key:  # a block holds the terms of one field
                break
            block_terms, entries = self._read_block(number)
            terms.extend(block_terms)
            frequencies.extend(len(entry[0]) if len(entry) == INLINED else entry[2] for entry in entries)
        return terms, frequencies

    def __contains__(self, term) -> bool:
        try:
            self._entry(*term)
        except KeyError:
            return False
        return True

    def indexed_field_names(self):
        return self._fieldmap.keys()

    def cursor(self, fieldname, fieldobj):
        return TermsCursor(self, fieldname, fieldobj)

    def terms(self):
        return ((fieldname, btext) for fieldname, btext, _ in self._entries_from(0, 0))

    def terms_from(self, fieldname, prefix):
        return ((name, btext) for name, btext, _ in self._entries_from(*self._position(fieldname, prefix)))

    def items(self):
        return (((name, btext), decode_entry(entry)) for name, btext, entry in self._entries_from(0, 0))

    def items_from(self, fieldname, prefix):
        entries = self._entries_from(*self._position(fieldname, prefix))
        return (((name, btext), decode_entry(entry)) for name, btext, entry in entries)

    def term_info(self, fieldname, btext):
        try:
            return decode_entry(self._entry(fieldname, btext))
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{btext!r}") from None

    def frequency(self, fieldname, btext):
        return entry_frequency(self._entry(fieldname, btext))

    def doc_frequency(self, fieldname, btext):
        return entry_doc_frequency(self._entry(fieldname, btext))

    def matcher(self, fieldname, btext, format_, scorer=None):
        terminfo = self.term_info(fieldname, btext)
        return self._codec.postings_reader(self._postfile, terminfo, format_, term=(fieldname, btext), scorer=scorer)

    def close(self):
        self._block.cache_clear()
        self._dbfile.close()
        self._postfile.close()


class TermsCursor(base.FieldCursor):
    """The terms of one field in order, with a jump to the first at or after a given term:
    what whoosh's fuzzy matching (`terms_within`) walks."""

    def __init__(self, reader: TermsReader, fieldname: str, fieldobj):
        self._reader = reader
        self._fieldname = fieldname
        self._fieldobj = fieldobj
        self.first()

    def first(self):
        return self.find(b"")

    def find(self, term):
        if not isinstance(term, bytes):
            term = self._fieldobj.to_bytes(term)
        self._entries = self._reader._entries_from(*self._reader._position(self._fieldname, term))
        return self.next()

    def next(self):
        fieldname, btext, entry = next(self._entries, (None, None, None))
        if fieldname != self._fieldname:
            self._text = self._entry = None
            return None
        self._text, self._entry = self._fieldobj.from_bytes(btext), entry
        return self._text

    def text(self):
        return self._text

    def term_info(self):
        return None if self._entry is None else decode_entry(self._entry)

    def is_valid(self):
        return self._text is not None
