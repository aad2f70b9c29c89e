"""The deflated column of facet values: every document's bytes read back as written, in less room."""

import pytest
from helpers import corpus
from test_storedfields import write_and_read
from whoosh.columns import VarBytesColumn

from indexer.schema import FACETS_COLUMN, document_fields
from indexer.storage.columns import DeflatedBytesColumn
from indexer.workers import load_file


@pytest.mark.parametrize(
    "rows",
    [
        {},
        {0: b"Moscow"},
        {1: "Москва\x1fParis".encode(), 5: b"x" * 70_000, 6: b""},
        {docnum: f"value {docnum % 7}".encode() for docnum in range(0, 3000, 3)},
    ],
    ids=["empty", "one", "gaps-and-large", "many"],
)
def test_values_read_back_as_written(rows):
    doccount = max(rows, default=-1) + 2  # and one document without a value at the end
    reader, _ = write_and_read(DeflatedBytesColumn(), rows, doccount)
    expected = [rows.get(docnum, b"") for docnum in range(doccount)]
    assert len(reader) == doccount
    assert [reader[docnum] for docnum in range(doccount)] == expected
    assert list(reader) == expected


def test_facet_values_take_a_fraction_of_whooshs_room():
    reuters = corpus("reuters21578") / "docs"
    if not reuters.is_dir():
        pytest.skip("the Reuters corpus is not in ../shared/corpora")
    paths = sorted(reuters.iterdir())[:2000]
    documents = [doc for path in paths for doc in load_file(path, reuters).documents]
    rows = {docnum: document_fields(doc)[FACETS_COLUMN] for docnum, doc in enumerate(documents)}
    ours, our_length = write_and_read(DeflatedBytesColumn(), rows, len(rows))
    _, their_length = write_and_read(VarBytesColumn(), rows, len(rows))
    assert list(ours) == list(rows.values())
    assert our_length < 0.5 * their_length
