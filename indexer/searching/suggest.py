"""Did you mean: the query with each rare word replaced by a near spelling that is far more frequent.

A word no document holds gets its nearest indexed word. A word that some documents hold (the
same typo is in a few articles: "goverment" is in 8 Reuters articles, "government" in 1,712)
is replaced only when it is rare and a spelling one edit away, with the same first letter, is
held by a hundred times the documents or more. Words of one stem are never each other's correction
("shared" is no typo of "shares"); names are what these rules keep: "Kent" is not "cent",
"Cannon" not "cannot", "Dana" not "data".
"""

from __future__ import annotations

from collections.abc import Callable

from ..analysis import STOP_WORDS, create_text_analyzer
from ..schema import STEMMED_FIELDS
from .query import plain_words
from .vocabulary import Vocabulary

MIN_SUGGEST_CHARS = 4  # shorter words have too many neighbours to guess from
MIN_RARE_CHARS = 5  # a word some documents hold is corrected only from this length
FAR_MORE_FREQUENT = 100  # a correction is held by at least this many times the documents
RARE_SHARE = 0.001  # a word held by more of the documents than this (or by 20) is taken as meant
RARE_AT_LEAST = 20

_ANALYZER = create_text_analyzer()


def suggest(
    reader,
    vocabulary: Vocabulary,
    text: str,
    similar_words: Callable[[str, int], list[str]] | None = None,
    *,
    keep_last: bool = False,
) -> str | None:
    """A did-you-mean query for `text`, or None when no word needs correcting.

    `reader` gives the index's terms (whoosh's IndexReader, or `doc_count()` and
    `doc_frequency(fieldname, text)` alike); `similar_words(word, max_edits)` lists indexed words
    near one no document holds (the last resort, slower); `keep_last` leaves the last word alone
    (it is still being typed).
    """
    words = plain_words(text)
    if not words:
        return None
    rare_below = max(RARE_AT_LEAST, reader.doc_count() * RARE_SHARE)
    checked = words[:-1] if keep_last else words
    corrected = [
        (checkable(word) and correction(reader, vocabulary, word, rare_below, similar_words)) or word
        for word in checked
    ]
    suggestion = " ".join(corrected + words[len(checked) :])
    return suggestion if suggestion.lower() != " ".join(words).lower() else None


def checkable(word: str) -> bool:
    """A word that may be misspelt: long enough, no stop word (those are not indexed), no digits."""
    return len(word) >= MIN_SUGGEST_CHARS and word.lower() not in STOP_WORDS and not any(c.isdigit() for c in word)


def correction(reader, vocabulary: Vocabulary, word: str, rare_below: float, similar_words=None) -> str | None:
    """The most frequent spelling one edit from a rare word, if it is far more frequent; for a
    word no document holds, else the nearest word `similar_words` finds."""
    word = word.lower()
    held = stem_frequency(reader, word)
    if held > rare_below or (held and len(word) < MIN_RARE_CHARS):
        return None
    own = stem_of(word)
    for near in vocabulary.near(word):  # most frequent first
        # Typists seldom get the first letter wrong; names differ from words there ("Kent", "cent").
        if near[0] != word[0] or stem_of(near) == own:
            continue
        if stem_frequency(reader, near) >= FAR_MORE_FREQUENT * max(held, 1):
            return near
    if held == 0 and similar_words is not None:
        options = similar_words(word, 1 if len(word) < 7 else 2)
        return options[0] if options else None
    return None


def stem_of(word: str) -> str:
    return next((token.text for token in _ANALYZER(word)), word)


def stem_frequency(reader, word: str) -> int:
    """How many documents hold the word's stem in one of their text fields (the largest count)."""
    stem = stem_of(word)
    return max(reader.doc_frequency(field, stem) for field in STEMMED_FIELDS)
