"""Each document's stored fields on disk: pickled, then deflated with a dictionary of the
segment's first documents.

Whoosh's W3 format deflates each document's pickle on its own, and a news article is too
short to repeat much of itself: its field names, the words of its dateline and the language
of its beat are repeated by its neighbours instead. Deflate with a preset dictionary finds
those repeats (Reuters: 9.8 MB -> 6.8 MB) and still reads one document without the others.
"""

from __future__ import annotations

import pickle
import zlib

from whoosh.columns import Column, ColumnReader, ColumnWriter, VarBytesColumn

DICTIONARY_BYTES = 16 * 1024  # the dictionary's setup is most of a document's compression time
LEVEL = 6
PICKLE_PROTOCOL = 3  # W3 pickles with protocol 2, which spells out bytes and dates as calls


class StoredFieldsColumn(Column):
    """A whoosh column of dicts: the dictionary's length and bytes, then whoosh's column of
    variable-length bytes holding each document's deflated pickle."""

    def writer(self, dbfile) -> StoredFieldsWriter:
        return StoredFieldsWriter(dbfile)

    def reader(self, dbfile, basepos, length, doccount) -> StoredFieldsReader:
        return StoredFieldsReader(dbfile, basepos, length, doccount)


class StoredFieldsWriter(ColumnWriter):
    """Holds the first documents until they fill the dictionary, then writes as it goes."""

    def __init__(self, dbfile):
        super().__init__(dbfile)
        self._waiting: list[tuple[int, bytes]] = []  # (document, pickle) until the dictionary is full
        self._waiting_bytes = 0
        self._dictionary = b""
        self._values = None  # whoosh's column of deflated pickles, once the dictionary is written

    def add(self, docnum: int, fields: dict) -> None:
        pickled = pickle.dumps(fields, PICKLE_PROTOCOL)
        if self._values is not None:
            self._values.add(docnum, deflate(pickled, self._dictionary))
            return
        self._waiting.append((docnum, pickled))
        self._waiting_bytes += len(pickled)
        if self._waiting_bytes >= DICTIONARY_BYTES:
            self._write_dictionary()

    def finish(self, doccount: int) -> None:
        if self._values is None:
            self._write_dictionary()
        self._values.finish(doccount)

    def _write_dictionary(self) -> None:
        self._dictionary = b"".join(pickled for _, pickled in self._waiting)[-DICTIONARY_BYTES:]
        self._dbfile.write_uint(len(self._dictionary))
        self._dbfile.write(self._dictionary)
        self._values = VarBytesColumn().writer(self._dbfile)
        for docnum, pickled in self._waiting:
            self._values.add(docnum, deflate(pickled, self._dictionary))
        self._waiting = []


class StoredFieldsReader(ColumnReader):
    def __init__(self, dbfile, basepos, length, doccount):
        size = dbfile.get_uint(basepos)
        self._dictionary = dbfile.get(basepos + 4, size)
        start = basepos + 4 + size
        self._values = VarBytesColumn.Reader(dbfile, start, length - (start - basepos), doccount)

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, docnum: int) -> dict | None:
        return self._fields(self._values[docnum])

    def __iter__(self):
        return map(self._fields, self._values)

    def _fields(self, deflated: bytes) -> dict | None:
        return pickle.loads(inflate(deflated, self._dictionary)) if deflated else None


def deflate(data: bytes, dictionary: bytes) -> bytes:
    compressor = zlib.compressobj(LEVEL, zdict=dictionary)
    return compressor.compress(data) + compressor.flush()


def inflate(data: bytes, dictionary: bytes) -> bytes:
    decompressor = zlib.decompressobj(zdict=dictionary)
    return decompressor.decompress(data) + decompressor.flush()
