"""All tokenising, folding and stemming: one analyzer for English and Russian text."""

from __future__ import annotations

import re
import unicodedata

import Stemmer
from whoosh.analysis import Filter, RegexTokenizer, StopFilter
from whoosh.analysis.analyzers import Analyzer
from whoosh.lang.stopwords import stoplists

CYRILLIC = re.compile("[\u0400-\u04ff]")
COMBINING_MARKS = re.compile("[\u0300-\u036f]")
STOP_WORDS = frozenset(stoplists["en"]) | frozenset(stoplists["ru"])
# Words, with inner dots and apostrophes kept: "U.S.", "don't", "WSIS+10" -> "wsis", "10".
WORD = r"\w+(?:[.'’]\w+)*"


def fold(word: str) -> str:
    """Strip accents from Latin letters ("João" -> "joao"); Cyrillic keeps its letters but ё -> е."""
    if word.isascii():  # most words: nothing to fold
        return word
    if CYRILLIC.search(word):
        return word.replace("ё", "е").replace("Ё", "Е")
    return COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", word))


class FoldFilter(Filter):
    """Lower-casing and accent folding in one pass, so "Zürich" and "zurich" are one term."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text.lower())
            yield token


class BilingualStemFilter(Filter):
    """Snowball stemming with the English or Russian stemmer, chosen per word by its script.

    Whoosh pickles analyzers into the index, so the C stemmers are created lazily and kept
    out of the pickle.
    """

    is_morph = True

    def __init__(self):
        self._stemmers = None

    def __getstate__(self):
        return {}

    def __setstate__(self, state):
        self._stemmers = None

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, tokens):
        if self._stemmers is None:
            self._stemmers = (Stemmer.Stemmer("english"), Stemmer.Stemmer("russian"))
        english, russian = self._stemmers
        for token in tokens:
            if not token.stopped:
                text = token.text
                stemmer = english if text.isascii() or not CYRILLIC.search(text) else russian
                token.text = stemmer.stemWord(text)
            yield token


def create_text_analyzer() -> Analyzer:
    """Words -> lower-case, accent-folded, stop words dropped, stemmed: for titles, bodies, names."""
    return RegexTokenizer(WORD) | FoldFilter() | StopFilter(stoplist=STOP_WORDS, minsize=1) | BilingualStemFilter()


def create_plain_analyzer() -> Analyzer:
    """Words -> lower-case and accent-folded, not stemmed: for dates.

    Stop words go here too: a query word that every field drops is ignored, but one that a
    single field keeps would have to match in that field.
    """
    return RegexTokenizer(WORD) | FoldFilter() | StopFilter(stoplist=STOP_WORDS, minsize=1)


def create_value_analyzer() -> Analyzer:
    """One token per facet value: values are joined with the unit separator and kept as they are."""
    return RegexTokenizer("[^\x1f]+")
