"""The table of terms: entries keep every statistic whoosh reads, in fewer bytes than W3's."""

from whoosh.codec.whoosh3 import W3TermInfo

from indexer.storage.formats import encode_positions
from indexer.storage.terms import decode_entry, dumps, encode_entry

STATISTICS = ("weight", "doc_frequency", "min_length", "max_length", "max_weight", "min_id", "max_id")


def statistics(terminfo):
    return [getattr(terminfo, name)() for name in STATISTICS]


def test_a_rare_terms_entry_is_its_postings_and_reads_back_every_statistic():
    terminfo = W3TermInfo(weight=3.0, df=2, minlength=5, maxlength=40, maxweight=2.0, minid=17, maxid=905)
    terminfo._inlined = ((17, 905), (1, 2), (encode_positions([4]), encode_positions([0, 300])))
    read = decode_entry(encode_entry(terminfo))
    assert read.inlined_postings() == terminfo.inlined_postings()
    assert statistics(read) == statistics(W3TermInfo.from_bytes(terminfo.to_bytes()))
    assert len(dumps(encode_entry(terminfo))) < len(terminfo.to_bytes()) - 25


def test_weights_of_one_are_not_stored():
    terminfo = W3TermInfo(weight=3.0, df=3, minlength=1, maxlength=9, maxweight=1.0, minid=0, maxid=70_000)
    terminfo._inlined = ((0, 5, 70_000), (1.0, 1.0, 1.0), None)
    entry = encode_entry(terminfo)
    assert entry[1] is None
    read = decode_entry(entry)
    assert read.inlined_postings() == ((0, 5, 70_000), (1, 1, 1), None)
    assert statistics(read) == [3, 3, 1, 9, 1, 0, 70_000]


def test_a_frequent_terms_entry_points_to_its_blocks():
    terminfo = W3TermInfo(weight=812.5, df=400, minlength=3, maxlength=900, maxweight=12.0, minid=4, maxid=13_000)
    terminfo.set_extent(123_456_789, 5_000)
    read = decode_entry(encode_entry(terminfo))
    assert not read.is_inlined()
    assert read.extent() == (123_456_789, 5_000)
    assert statistics(read) == statistics(W3TermInfo.from_bytes(terminfo.to_bytes()))
