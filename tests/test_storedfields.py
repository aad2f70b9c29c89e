"""The stored-fields column: every document's fields read back as written, in fewer bytes than W3's."""

import datetime

import pytest
from helpers import SEEDS_DIR, corpus
from whoosh.codec.whoosh3 import STORED_COLUMN
from whoosh.filedb.filestore import RamStorage

from indexer.schema import document_fields
from indexer.storage.storedfields import DICTIONARY_BYTES, StoredFieldsColumn
from indexer.workers import load_file


def write_and_read(column, rows: dict[int, dict], doccount: int):
    """Write `rows` (document -> fields) into a column of `doccount` documents, and its reader."""
    storage = RamStorage()
    dbfile = storage.create_file("column")
    writer = column.writer(dbfile)
    for docnum, fields in sorted(rows.items()):
        writer.add(docnum, fields)
    writer.finish(doccount)
    length = dbfile.tell()
    dbfile.close()
    return column.reader(storage.open_file("column"), 0, length, doccount), length


def stored(document) -> dict:
    return {name: value for name, value in document_fields(document).items() if value not in (None, "", [])}


@pytest.mark.parametrize(
    "rows",
    [
        {},
        {0: {"title": "one"}},
        {0: {"title": "Ünïcode — «кириллица»", "date": datetime.datetime(2015, 11, 10)}, 3: {"body": "x" * 100_000}},
        {docnum: {"title": f"document {docnum}", "body": "word " * docnum} for docnum in range(0, 400, 2)},
    ],
    ids=["empty", "one", "gaps-and-large", "past-the-dictionary"],
)
def test_documents_read_back_as_written(rows):
    doccount = max(rows, default=-1) + 2  # and one document without stored fields at the end
    reader, _ = write_and_read(StoredFieldsColumn(), rows, doccount)
    assert len(reader) == doccount
    assert [reader[docnum] for docnum in range(doccount)] == [rows.get(docnum) for docnum in range(doccount)]
    assert list(reader) == [rows.get(docnum) for docnum in range(doccount)]


def test_articles_take_less_room_than_whoosh_stores_them():
    reuters = corpus("reuters21578") / "docs"
    folder = reuters if reuters.is_dir() else SEEDS_DIR
    paths = sorted(folder.iterdir())[:500]
    rows = dict(enumerate(stored(doc) for path in paths for doc in load_file(path, folder).documents))
    ours, our_length = write_and_read(StoredFieldsColumn(), rows, len(rows))
    _, their_length = write_and_read(STORED_COLUMN, rows, len(rows))
    assert [ours[docnum] for docnum in rows] == list(rows.values())
    if folder == reuters:
        assert sum(map(len, map(repr, rows.values()))) > 10 * DICTIONARY_BYTES
        assert our_length < 0.8 * their_length
