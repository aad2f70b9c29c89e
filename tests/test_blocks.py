"""Blocks of postings: what is written reads back, in fewer bytes than W3's pickles."""

import pickle
import random
import zlib

from hypothesis import given
from hypothesis import strategies as st

from indexer.blocks import decode_block, encode_block
from indexer.formats import encode_positions

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


@given(blocks(), st.booleans())
def test_a_block_reads_back_as_written(block, has_values):
    block_ids, weights, values = block
    read_ids, read_weights, read_values = decode_block(
        encode_block(block_ids, weights, values, has_values, 3), len(block_ids)
    )
    assert read_ids == tuple(block_ids)
    assert (read_weights is None) == all(weight == 1 for weight in weights)
    assert list(read_weights or [1.0] * len(block_ids)) == weights
    assert read_values == (tuple(values) if has_values else None)


def test_a_block_is_smaller_than_w3s():
    rng = random.Random(1)
    block_ids = sorted(rng.sample(range(20_000), 128))
    weights = [float(rng.choice((1, 1, 1, 2, 3, 7))) for _ in block_ids]
    values = [encode_positions(sorted(rng.sample(range(600), int(weight)))) for weight in weights]
    w3 = zlib.compress(pickle.dumps((tuple(block_ids), tuple(weights), tuple(values)), 2), 3)
    assert len(encode_block(block_ids, weights, values, True, 3)) < 0.7 * len(w3)
