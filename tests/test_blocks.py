"""Blocks of postings: what is written reads back, in fewer bytes than W3's pickles."""

import pickle
import random
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.storage.blocks import HEADER, decode_postings, encode_block
from indexer.storage.formats import encode_positions

ids = st.lists(st.integers(min_value=0, max_value=2**32 - 1), min_size=1, max_size=128, unique=True).map(sorted)


@st.composite
def blocks(draw):
    block_ids = draw(ids)
    count = len(block_ids)
    weights = draw(
        st.one_of(
            st.just([1.0] * count),
            st.lists(st.integers(min_value=1, max_value=70_000).map(float), min_size=count, max_size=count),
            st.lists(st.floats(min_value=0.1, max_value=1e6), min_size=count, max_size=count),
        )
    )
    values = draw(st.lists(st.binary(max_size=300), min_size=count, max_size=count))
    return block_ids, weights, values


def encode(block_ids, weights, values, has_values):
    maxweight = max(weights)
    return encode_block(
        block_ids, weights, values, has_values=has_values, maxweight=maxweight, length_bytes=(3, 40), compression=3
    )


@given(blocks(), st.booleans())
def test_a_block_reads_back_as_written(block, has_values):
    block_ids, weights, values = block
    encoded = encode(block_ids, weights, values, has_values)
    count, last_id, maxweight, *length_bytes = HEADER.unpack(encoded[: HEADER.size])
    assert (count, last_id, length_bytes) == (len(block_ids), block_ids[-1], [3, 40])
    assert maxweight == pytest.approx(max(weights), rel=1e-6)  # a 4-byte float, as W3 stores a term's largest weight
    read_ids, read_weights, read_values = decode_postings(encoded[HEADER.size :], count)
    assert read_ids == tuple(block_ids)
    assert (read_weights is None) == all(weight == 1 for weight in weights)
    assert list(read_weights or [1.0] * len(block_ids)) == weights
    assert read_values == (tuple(values) if has_values else None)


def test_a_block_is_smaller_than_w3s():
    rng = random.Random(1)
    block_ids = sorted(rng.sample(range(20_000), 128))
    weights = [float(rng.choice((1, 1, 1, 2, 3, 7))) for _ in block_ids]
    values = [encode_positions(sorted(rng.sample(range(600), int(weight)))) for weight in weights]
    w3_header = pickle.dumps((128, block_ids[-1], 7.0, 3, 3, 40), 2)
    w3 = w3_header + zlib.compress(pickle.dumps((tuple(block_ids), tuple(weights), tuple(values)), 2), 3)
    assert len(encode(block_ids, weights, values, True)) < 0.7 * len(w3)
