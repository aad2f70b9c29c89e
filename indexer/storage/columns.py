"""A column of bytes read all at once: every document's value, deflated as one stream.

The facet values of a segment (`schema.FACETS_COLUMN`) are only ever read whole, when an index
is opened, and neighbouring documents share most of them (the same places, organisations,
years and sources). Whoosh's column of variable-length bytes stores each value as it is;
deflated together they take a third of the room (Reuters: 1.27 MB -> 0.41 MB).
"""

from __future__ import annotations

import zlib

from whoosh.columns import Column, ColumnReader, ColumnWriter

from .blocks import cut, read_array, smallest_array

LEVEL = 6


class DeflatedBytesColumn(Column):
    """One deflated stream: the type code of the lengths' array, the lengths, then the values."""

    _default = b""

    def writer(self, dbfile) -> DeflatedBytesWriter:
        return DeflatedBytesWriter(dbfile)

    def reader(self, dbfile, basepos, length, doccount) -> DeflatedBytesReader:
        return DeflatedBytesReader(dbfile, basepos, length, doccount)


class DeflatedBytesWriter(ColumnWriter):
    def __init__(self, dbfile):
        super().__init__(dbfile)
        self._values: list[bytes] = []

    def add(self, docnum: int, value: bytes) -> None:
        self._values += [b""] * (docnum - len(self._values))  # documents without a value
        self._values.append(value)

    def finish(self, doccount: int) -> None:
        values = self._values[:doccount] + [b""] * (doccount - len(self._values))
        lengths = smallest_array([len(value) for value in values])
        stream = lengths.typecode.encode() + lengths.tobytes() + b"".join(values)
        self._dbfile.write(zlib.compress(stream, LEVEL))


class DeflatedBytesReader(ColumnReader):
    def __init__(self, dbfile, basepos, length, doccount):
        super().__init__(dbfile, basepos, length, doccount)
        self._values = None  # inflated on first use

    def _all(self) -> list[bytes]:
        if self._values is None:
            stream = zlib.decompress(self._dbfile.get(self._basepos, self._length))
            lengths, start = read_array(chr(stream[0]), stream, 1, self._doccount)
            self._values = cut(stream, start, lengths)
        return self._values

    def __len__(self) -> int:
        return self._doccount

    def __getitem__(self, docnum: int) -> bytes:
        return self._all()[docnum]

    def __iter__(self):
        return iter(self._all())
