"""All tokenising, folding and stemming: one analyzer for English and Russian text."""

from __future__ import annotations

import re
import unicodedata

import Stemmer
from whoosh.analysis import Filter, RegexTokenizer, StopFilter, Token
from whoosh.analysis.analyzers import Analyzer, CompositeAnalyzer
from whoosh.lang.stopwords import stoplists

CYRILLIC = re.compile("[\u0400-\u04ff]")
COMBINING_MARKS = re.compile("[\u0300-\u036f]")
STOP_WORDS = frozenset(stoplists["en"]) | frozenset(stoplists["ru"])
# Words, with inner dots and apostrophes kept: "U.S.", "don't", "WSIS+10" -> "wsis", "10".
WORD = r"\w+(?:[.'’]\w+)*"


def strip_accents(word: str) -> str:
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
            token.text = strip_accents(token.text.lower())
            yield token


class BilingualStemFilter(Filter):
    """Snowball stemming with the English or Russian stemmer, chosen per word by its script.

    A Russian word is first reduced to its dictionary form by pymorphy2: Snowball alone cuts
    "газпром" to "газпр" (as if "-ом" were an ending) but "Газпроме" to "газпром", so the query
    would miss the article; as lemmas both are "газпром", stemmed alike.

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
            self._stemmers = (Stemmer.Stemmer("english"), Stemmer.Stemmer("russian"), None)
        english, russian, morph = self._stemmers
        for token in tokens:
            if not token.stopped:
                text = token.text
                if text.isascii() or not CYRILLIC.search(text):
                    token.text = english.stemWord(text)
                else:
                    if morph is None:
                        morph = russian_morphology()
                        self._stemmers = (english, russian, morph)
                    token.text = russian.stemWord(strip_accents(morph.parse(text)[0].normal_form))
            yield token


def russian_morphology():
    """pymorphy2's analyser (its dictionaries ship in a wheel), loaded once, on the first Russian word."""
    from .documents.russian import morphology

    return morphology()


class WordAnalyzer(CompositeAnalyzer):
    """A tokeniser and its filters, with a fast path for indexing: each distinct word is sent
    through the filters once and its term remembered, so a document's tokens cost a regex
    match and a dictionary lookup each. The tokens are those of the chain, to the position.

    Indexing asks only for terms, positions and boosts; any other call (queries, highlighting,
    character offsets, stop words kept) runs the chain itself.
    """

    INDEXING_OPTIONS = frozenset(("mode", "positions", "boosts"))
    MAX_REMEMBERED = 500_000

    def __init__(self, *items):
        super().__init__(*items)
        self._terms = {}

    def __getstate__(self):
        return {"items": self.items}

    def __setstate__(self, state):
        self.items = state["items"]
        self._terms = {}

    def __call__(self, value, no_morph=False, **options):
        if no_morph or not self.INDEXING_OPTIONS.issuperset(options) or not isinstance(value, str):
            return super().__call__(value, no_morph=no_morph, **options)
        return self._indexing_tokens(value, **options)

    def _indexing_tokens(self, value, positions=False, **options):
        terms, first = self.indexing_terms(value)
        token = Token(positions, False, removestops=True, **options)
        token.boost, token.stopped = 1.0, False
        for position, term in enumerate(terms, first):
            if positions:
                token.pos = position
            token.text = term
            yield token

    def indexing_terms(self, value: str) -> tuple[list[str], int]:
        """The terms of `value`'s words, stop words dropped, and the first one's position: the
        chain's tokens are these, numbered on from there (as whoosh's StopFilter numbers them)."""
        terms = self._terms
        if len(terms) > self.MAX_REMEMBERED:
            terms.clear()
        words = self.items[0].expression.findall(value)
        found = [terms[word] if word in terms else self._remember(word) for word in words]
        first = next((number for number, term in enumerate(found) if term is not None), 0)
        return [term for term in found if term is not None], first

    def _remember(self, word: str) -> str | None:
        """The term the filters make of one word (None for a stop word), remembered."""
        term = self._terms[word] = next((token.text for token in super().__call__(word)), None)
        return term


def create_text_analyzer() -> Analyzer:
    """Words -> lower-case, accent-folded, stop words dropped, stemmed: for titles, bodies, names."""
    return WordAnalyzer(
        RegexTokenizer(WORD), FoldFilter(), StopFilter(stoplist=STOP_WORDS, minsize=1), BilingualStemFilter()
    )


def create_plain_analyzer() -> Analyzer:
    """Words -> lower-case and accent-folded, not stemmed: for dates.

    Stop words go here too: a query word that every field drops is ignored, but one that a
    single field keeps would have to match in that field.
    """
    return WordAnalyzer(RegexTokenizer(WORD), FoldFilter(), StopFilter(stoplist=STOP_WORDS, minsize=1))
