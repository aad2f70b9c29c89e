"""How a field's postings record a word in a document: its positions, or just how often.

Whoosh's Positions format stores each posting's positions as a four-byte count and a pickled
list of deltas (13 bytes for one position), and its Frequency format repeats the weight in a
four-byte value. Here a posting's positions are their deltas as varints (one byte for a gap
under 128), and a word's frequency is its weight, which every posting holds already.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import accumulate

from whoosh.fields import TEXT
from whoosh.formats import Format, tokens


def encode_positions(positions: list[int]) -> bytes:
    """Ascending positions -> the varints of their gaps (LEB128: 7 bits a byte, low bits first)."""
    if positions[-1] < 0x80 and len(positions) == 1:  # most postings: one early position
        return bytes(positions)
    gaps = [position - previous for previous, position in zip([0, *positions], positions)]
    if max(gaps) < 0x80:
        return bytes(gaps)
    encoded = bytearray()
    for gap in gaps:
        while gap >= 0x80:
            encoded.append(gap & 0x7F | 0x80)
            gap >>= 7
        encoded.append(gap)
    return bytes(encoded)


def decode_positions(value: bytes) -> list[int]:
    """`encode_positions`' bytes -> the positions."""
    if value.isascii():  # every gap under 128: one byte each
        return list(accumulate(value))
    gaps, gap, shift = [], 0, 0
    for byte in value:
        gap |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            gaps.append(gap)
            gap = shift = 0
    return list(accumulate(gaps))


class VarintPositions(Format):
    """Each posting: the word's frequency as its weight, its positions as varint gaps."""

    def word_values(self, value, analyzer, **kwargs):
        """(term, frequency, weight, encoded positions) for each term of `value`. Our analyzers
        give every token a boost of 1, so a term's weight is its frequency times the field's boost."""
        positions = defaultdict(list)
        for position, term in numbered_terms(value, analyzer, kwargs):
            positions[term].append(position)
        boost = self.field_boost
        for text, found in positions.items():
            yield text, len(found), len(found) * boost, encode_positions(found)

    def decode_positions(self, value: bytes) -> list[int]:
        return decode_positions(value)

    def decode_frequency(self, value: bytes) -> int:
        return len(decode_positions(value))

    def decode_weight(self, value: bytes) -> float:
        return self.decode_frequency(value) * self.field_boost

    def decode_position_boosts(self, value: bytes) -> list[tuple[int, float]]:
        return [(position, 1.0) for position in decode_positions(value)]


class WeightOnly(Format):
    """Each posting: the word's frequency as its weight, and no value."""

    posting_size = 0

    def word_values(self, value, analyzer, **kwargs):
        counts = Counter(term for _, term in numbered_terms(value, analyzer, kwargs))
        boost = self.field_boost
        return ((text, count, count * boost, b"") for text, count in counts.items())


class Text(TEXT):
    """Whoosh's TEXT field, its postings in the formats above."""

    def __init__(self, *, phrase: bool = True, **options):
        super().__init__(phrase=phrase, **options)
        self.format = VarintPositions() if phrase else WeightOnly()

    def index(self, value, **kwargs):
        """(UTF-8 term, frequency, weight, value) for each term of `value`, in a list."""
        postings = self.format.word_values(value, self.analyzer, mode="index", **kwargs)
        return [(term.encode(), frequency, weight, encoded) for term, frequency, weight, encoded in postings]


def numbered_terms(value, analyzer, options: dict) -> Iterable[tuple[int, str]]:
    """(position, term) of each token of `value` to index: from our analyzer's list of terms
    when it can give one, else from the tokens of any whoosh analyzer."""
    if isinstance(value, str) and hasattr(analyzer, "indexing_terms") and options.keys() <= {"mode"}:
        terms, first = analyzer.indexing_terms(value)
        return enumerate(terms, first)
    return ((token.pos, token.text) for token in tokens(value, analyzer, {**options, "positions": True}))
