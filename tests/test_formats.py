"""Postings formats: the same terms, frequencies, weights and positions as whoosh's, in fewer bytes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_analysis import texts
from whoosh.formats import Frequency, Positions

from indexer.analysis import create_plain_analyzer, create_text_analyzer
from indexer.storage.formats import VarintPositions, WeightOnly, decode_positions, encode_positions


@given(st.lists(st.integers(min_value=0, max_value=2**31), unique=True, min_size=1).map(sorted))
def test_positions_decode_to_what_was_encoded(positions):
    assert decode_positions(encode_positions(positions)) == positions


def test_a_gap_takes_one_byte_below_128_and_more_above():
    assert encode_positions([0, 5, 132]) == bytes([0, 5, 127])
    assert len(encode_positions([0, 200])) == 3
    assert len(encode_positions([70_000])) == 3
    assert decode_positions(encode_positions([3, 131, 70_131])) == [3, 131, 70_131]


def whoosh_postings(format_, text, analyzer):
    """{term: (frequency, weight, positions, decoded frequency and weight)} from a format's word_values."""
    found = {}
    for term, frequency, weight, value in format_.word_values(text, analyzer, mode="index"):
        positions = format_.decode_positions(value)
        found[term] = (frequency, weight, positions, format_.decode_frequency(value), format_.decode_weight(value))
    return found


@pytest.mark.parametrize("create", [create_text_analyzer, create_plain_analyzer])
def test_positions_format_indexes_as_whoosh_does(create):
    analyzer = create()
    for text in texts():
        ours = whoosh_postings(VarintPositions(), text, analyzer)
        assert ours == whoosh_postings(Positions(), text, analyzer)
        assert (
            sum(len(encode_positions(positions)) for _, _, positions, _, _ in ours.values()) < 2 * len(text.split()) + 1
        )


def test_weight_only_format_weighs_as_whoosh_frequency_does():
    analyzer = create_plain_analyzer()
    for text in texts():
        ours = list(WeightOnly().word_values(text, analyzer))
        theirs = Frequency().word_values(text, analyzer)
        assert {term: (frequency, weight) for term, frequency, weight, _ in ours} == {
            term: (frequency, weight) for term, frequency, weight, _ in theirs
        }
        assert all(value == b"" for *_, value in ours)
