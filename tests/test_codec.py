"""The index format and writer: every posting, stored field and column reads back exactly as
whoosh's own writer and codec write it."""

from itertools import islice

import pytest
from helpers import corpus
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.reading import TermNotFound

from indexer.schema import create_schema, document_fields
from indexer.storage.blocks import read_postings
from indexer.storage.codec import INLINE_LIMIT, field_lengths
from indexer.storage.writing import open_writer
from indexer.workers import load_file

REUTERS = corpus("reuters21578") / "docs"


def write_index(folder, documents, open_writer):
    index = whoosh_index.create_in(str(folder), create_schema())
    writer = open_writer(index)
    for document in documents:
        writer.add_document(**document_fields(document))
    writer.commit()
    return index


@pytest.fixture(scope="module")
def readers(tmp_path_factory):
    """The same 300 Reuters articles indexed by whoosh's writer and codec, and by ours (with a
    1 MB pool, so that the postings go through sorted runs on disk and are merged)."""
    if not REUTERS.is_dir():
        pytest.skip("the Reuters corpus is not in ../shared/corpora")
    paths = sorted(REUTERS.iterdir())[:300]
    documents = [doc for path in paths for doc in load_file(path, REUTERS).documents]
    folders = {"plain": tmp_path_factory.mktemp("w3"), "ours": tmp_path_factory.mktemp("ours")}
    plain = write_index(folders["plain"], documents, lambda index: index.writer(codec=W3Codec()))
    ours = write_index(folders["ours"], documents, lambda index: open_writer(index, limitmb=1))
    sizes = {name: sum(f.stat().st_size for f in folder.iterdir()) for name, folder in folders.items()}
    with plain.reader() as plain_reader, ours.reader() as our_reader:
        yield {"plain": plain_reader, "ours": our_reader, "sizes": sizes}


def postings(reader, fieldname, text):
    matcher = reader.postings(fieldname, text)
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), matcher.value() or None))  # no value: None or ""
        matcher.next()
    return found


def test_every_term_reads_back_the_same_postings(readers):
    plain, ours = readers["plain"], readers["ours"]
    terms = list(plain.all_terms())
    assert terms == list(ours.all_terms())
    inlined = 0
    for fieldname, text in terms:
        expected = postings(plain, fieldname, text)
        assert postings(ours, fieldname, text) == expected, (fieldname, text)
        ids, weights, values = read_postings(ours, fieldname, text, with_values=True)
        assert list(ids) == [doc for doc, _, _ in expected]
        assert list(weights) == [weight for _, weight, _ in expected]
        assert [value or None for value in values] == [value for _, _, value in expected]
        info, expected_info = ours.term_info(fieldname, text), plain.term_info(fieldname, text)
        stats = ("weight", "doc_frequency", "min_length", "max_length", "max_weight", "min_id", "max_id")
        assert [getattr(info, stat)() for stat in stats] == [getattr(expected_info, stat)() for stat in stats]
        inlined += info.is_inlined()
    assert 0 < inlined < len(terms)
    rare = sum(plain.doc_frequency(fieldname, text) < INLINE_LIMIT for fieldname, text in terms)
    assert inlined == rare


def test_phrases_and_field_lengths_match(readers):
    plain, ours = readers["plain"], readers["ours"]
    for fieldname in ("title", "body", "person"):
        assert [ours.doc_field_length(doc, fieldname) for doc in range(ours.doc_count())] == [
            plain.doc_field_length(doc, fieldname) for doc in range(plain.doc_count())
        ]
        assert field_lengths(ours, fieldname) == field_lengths(plain, fieldname)  # read at once / one by one
        assert any(field_lengths(ours, fieldname))
    body_terms = [text for fieldname, text in plain.all_terms() if fieldname == "body"]
    for text in body_terms[::50]:
        plain_matcher, our_matcher = plain.postings("body", text), ours.postings("body", text)
        while plain_matcher.is_active():
            assert our_matcher.value_as("positions") == plain_matcher.value_as("positions")
            plain_matcher.next()
            our_matcher.next()
        assert not our_matcher.is_active()


def test_term_lookups_answer_as_whoosh_does(readers):
    """Our table of terms against W3's hash table: membership, statistics, ordered walks from
    any point (present or absent terms, field boundaries, unknown fields) and fuzzy matching."""
    plain, ours = readers["plain"], readers["ours"]
    terms = list(plain.all_terms())
    fields = sorted({fieldname for fieldname, _ in terms})
    probes = [term for term in terms[::97]] + [(fieldname, text + b"\x00") for fieldname, text in terms[::101]]
    probes += [(fieldname, edge) for fieldname in [*fields, "url"] for edge in (b"", b"\xff\xff")]
    for fieldname, text in probes:
        term = (fieldname, text)
        assert (term in ours) == (term in plain), term
        if fieldname in fields:
            assert ours.frequency(*term) == plain.frequency(*term), term
            assert ours.doc_frequency(*term) == plain.doc_frequency(*term), term
            assert list(islice(ours.terms_from(*term), 40)) == list(islice(plain.terms_from(*term), 40)), term
            ours_from = [(term, info.doc_frequency()) for term, info in islice(ours.iter_from(*term), 40)]
            assert ours_from == [(term, info.doc_frequency()) for term, info in islice(plain.iter_from(*term), 40)]
    for fieldname in fields:
        assert list(ours.lexicon(fieldname)) == list(plain.lexicon(fieldname))
        prefix = "1987" if fieldname == "date" else "ma"
        assert list(ours.expand_prefix(fieldname, prefix)) == list(plain.expand_prefix(fieldname, prefix))
    for word in ("oil", "gnerally", "prices", "tokyo", "zzzz", "a"):
        assert sorted(ours.terms_within("exact", word, 2)) == sorted(plain.terms_within("exact", word, 2)), word
    assert any(ours.terms_within("exact", "gnerally", 1))
    with pytest.raises(TermNotFound):
        ours.term_info("body", b"\xff\xff")


def test_the_index_is_smaller(readers):
    assert readers["sizes"]["ours"] < 0.4 * readers["sizes"]["plain"]


def test_stored_fields_and_columns_match(readers):
    plain, ours = readers["plain"], readers["ours"]
    assert list(ours.all_stored_fields()) == list(plain.all_stored_fields())
    for fieldname in ("date", "facet_values"):
        assert list(ours.column_reader(fieldname)) == list(plain.column_reader(fieldname))
    assert [ours.field_length(name) for name in ours.schema.scorable_names()] == [
        plain.field_length(name) for name in plain.schema.scorable_names()
    ]
