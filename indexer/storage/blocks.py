"""Blocks of postings in the postings file: a term's postings past the few kept in the term
index, up to a block's limit at a time.

W3 pickles each block's header and its ids, weights and values (about 2 bytes of pickle for
an id or a weight and 4 for a value), then deflates the postings. Here a block is:

- its size (negative for the term's last block), as in W3;
- a fixed header: the number of postings, the last id, the largest weight and the shortest
  and longest field length (W3's length bytes);
- deflated: three type codes, then the gaps between ids, the weights (none if all are 1) and
  the values' lengths (none for a format without values) as little-endian arrays of the
  smallest type that holds them, then the values one after the other.

Arrays decode in C; only the values are cut apart in Python, and only when a phrase needs them.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from itertools import accumulate, pairwise
from operator import sub
from typing import NamedTuple

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ListMatcher
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

HEADER = struct.Struct("<HIfBB")  # postings, last id, largest weight (4 bytes, as W3 term statistics), lengths
ABSENT = "-"  # the type code of an array a block does not store


def encode_block(ids, weights, values, *, has_values: bool, maxweight, length_bytes, compression: int) -> bytes:
    """A block after its size: the header, then the deflated postings, in id order (`values`
    ignored unless `has_values`; `length_bytes`: the shortest and longest field length)."""
    header = HEADER.pack(len(ids), ids[-1], maxweight, *length_bytes)
    gaps = list(map(sub, ids, [0, *ids[:-1]]))
    parts = [smallest_array(gaps)]
    if all(weight == 1 for weight in weights):
        parts.append(None)
    elif all(float(weight).is_integer() for weight in weights):
        parts.append(smallest_array([int(weight) for weight in weights]))
    else:
        parts.append(little_endian(array("d", weights)))
    parts.append(smallest_array([len(value) for value in values]) if has_values else None)
    codes = "".join(ABSENT if part is None else part.typecode for part in parts).encode()
    arrays = b"".join(part.tobytes() for part in parts if part is not None)
    return header + zlib.compress(codes + arrays + (b"".join(values) if has_values else b""), compression)


def decode_postings(data: bytes, count: int) -> tuple[tuple[int, ...], array | None, tuple[bytes, ...] | None]:
    """A block's deflated postings (after its header) -> (ids, weights or None if all are 1,
    values or None)."""
    data = zlib.decompress(data)
    found, at = [], 3
    for code in data[:3].decode():
        if code == ABSENT:
            found.append(None)
            continue
        numbers, at = read_array(code, data, at, count)
        found.append(numbers)
    gaps, weights, lengths = found
    values = None if lengths is None else tuple(cut(data, at, lengths))
    return tuple(accumulate(gaps)), weights, values


def smallest_array(numbers: list[int]) -> array:
    """Non-negative whole numbers as the array of the smallest unsigned type that holds them."""
    largest = max(numbers, default=0)
    code = "B" if largest < 1 << 8 else "H" if largest < 1 << 16 else "I" if largest < 1 << 32 else "Q"
    return little_endian(array(code, numbers))


def read_array(code: str, data: bytes, at: int, count: int) -> tuple[array, int]:
    """The `count` numbers of type `code` stored at `at` in `data`, and where they end."""
    end = at + count * array(code).itemsize
    return little_endian(array(code, data[at:end])), end


def cut(data: bytes, start: int, lengths) -> list[bytes]:
    """The values stored one after the other from `start`, of the given lengths."""
    ends = list(accumulate(lengths, initial=start))
    return [data[begin:end] for begin, end in pairwise(ends)]


def little_endian(numbers: array) -> array:
    """Arrays are stored little-endian, whatever the machine's byte order (swapped in place)."""
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


class BlockMatcher(W3LeafMatcher):
    """W3's reader of a term's blocks, for blocks written by `encode_block`."""

    def _read_header(self):
        self._baseoffset = self._startoffset  # no magic number before the first block

    def _goto(self, position):
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        size = self._postfile.get_int(position)
        self._lastblock = size < 0
        self._dataoffset = position + _INT_SIZE + HEADER.size
        self._nextoffset = position + _INT_SIZE + abs(size)
        header = HEADER.unpack(self._postfile.get(position + _INT_SIZE, HEADER.size))
        self._blocklength, self._maxid, self._maxweight, minlength, maxlength = header
        self._minlength, self._maxlength = byte_to_length(minlength), byte_to_length(maxlength)

    def _read_data(self):
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        self._data = decode_postings(data, self._blocklength)

    def _read_ids(self):
        if self._data is None:
            self._read_data()
        self._ids = self._data[0]

    def _read_weights(self):
        if self._data is None:
            self._read_data()
        self._weights = self._data[1] or (1,) * self._blocklength

    def _read_values(self):
        if self._data is None:
            self._read_data()
        self._values = self._data[2] or (None,) * self._blocklength


class Postings(NamedTuple):
    """A term's postings in one segment: document numbers, weights and (if read) encoded values."""

    ids: array
    weights: array
    values: list[bytes] | None


def read_postings(reader, fieldname: str, text: str, with_values: bool = False) -> Postings:
    """All of a term's postings in one segment, decoded a block at a time (values only if asked)."""
    postings = Postings(array("i"), array("d"), [] if with_values else None)
    if (fieldname, text) not in reader:
        return postings
    ids, weights, values = postings
    matcher = reader.postings(fieldname, text)
    leaf = getattr(matcher, "child", matcher)  # deletions wrap the segment's matcher; live_docs filters them
    if isinstance(leaf, ListMatcher):  # a rare term's postings, inlined in the term index
        ids.extend(leaf._ids)
        weights.extend(leaf._weights)
        if with_values:
            values.extend(leaf._values or (None,) * len(leaf._ids))  # None: a format without values
        return postings
    while leaf.is_active():
        if leaf._ids is None:
            leaf._read_ids()
        if leaf._weights is None:
            leaf._read_weights()
        ids.extend(iter(leaf._ids))
        weights.extend(iter(leaf._weights))
        if with_values:
            if leaf._values is None:
                leaf._read_values()
            values.extend(leaf._values)
        leaf._i = leaf._blocklength
        if leaf._lastblock:
            break
        leaf._next_block()
    return postings
