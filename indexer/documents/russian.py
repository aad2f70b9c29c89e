"""People, organisations and places in Russian text, by natasha's models (shipped in its wheels).

Only paragraphs with Cyrillic letters go to the models: they are slower than the English rules
and of no use on English. Each mention comes with its lemma ("Путина" -> "Путин"), so that the
inflected forms of one name give one facet value.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")  # lines up to an empty one
MIN_CYRILLIC = 0.3  # share of a paragraph's letters: below it, a Russian word or two in English prose


@dataclass(frozen=True)
class RussianMention:
    """One mention: offsets into the source text, its type (PER/ORG/LOC) and its lemma."""

    start: int
    end: int
    text: str
    type: str
    lemma: str


def has_cyrillic(text: str) -> bool:
    """True when the text holds a Cyrillic letter (a cheap test before anything else)."""
    return _CYRILLIC.search(text) is not None


@functools.cache
def morphology():
    """pymorphy2's analyser through natasha (which makes it work on Python 3.11), loaded once per process."""
    from natasha import MorphVocab

    return MorphVocab()


@functools.cache
def _models():
    """natasha's segmenter and tagger (about 175 MB of embeddings) and the morphology, loaded once per process."""
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding()), morphology()


def _russian_parts(text: str):
    """(offset, part) for the text when it is mostly Cyrillic, else for each paragraph that is."""
    parts = [(0, text)] if _mostly_cyrillic(text) else ((m.start(), m.group()) for m in _PARAGRAPH.finditer(text))
    return [(offset, part) for offset, part in parts if _mostly_cyrillic(part)]


def _mostly_cyrillic(text: str) -> bool:
    letters = sum(c.isalpha() for c in text)
    return bool(letters) and len(_CYRILLIC.findall(text)) >= MIN_CYRILLIC * letters


def lemma(words: list[str], kind: str, morph) -> str:
    """A name in the nominative: a person's every word ("Владимира Путина" -> "Владимир Путин"), an
    organisation's or place's words up to its first noun, adjectives agreeing with it
    ("Министерстве иностранных дел" -> "Министерство иностранных дел", "Российской Федерации" ->
    "Российская Федерация")."""
    parses = [morph.parse(w)[0] if _CYRILLIC.search(w) else None for w in words]
    head = len(words) - 1
    if kind != "PER":
        head = next((k for k, p in enumerate(parses) if p and "NOUN" in p.tag), head)
    noun = parses[head]
    agree = {noun.tag.number, noun.tag.gender} - {None} if noun and "NOUN" in noun.tag else set()
    out = []
    for k, (word, parse) in enumerate(zip(words, parses)):
        form = None
        if parse and k <= head:
            adjective = kind != "PER" and k < head and ("ADJF" in parse.tag or "PRTF" in parse.tag)
            grammemes = {"nomn"} | (agree if adjective else set())
            form = _inflect(parse, grammemes) or _inflect(parse, {"nomn"})
        out.append(_cased(form.word, word) if form else word)
    return " ".join(out)


def _inflect(parse, grammemes: set[str]):
    """pymorphy2's inflection with its own grammeme names (natasha's forms take UD names)."""
    from pymorphy2.analyzer import Parse

    return Parse.inflect(parse, grammemes)


def _cased(word: str, like: str) -> str:
    """word written in the case pattern of `like` (ООН, Газпром), part by part when both are
    hyphenated alike ("Санкт-Петербурге" -> "Санкт-Петербург")."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    parts, like_parts = word.split("-"), like.split("-")
    if len(parts) > 1 and len(parts) == len(like_parts):
        return "-".join(_cased(part, like_part) for part, like_part in zip(parts, like_parts))
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def find_russian_mentions(text: str) -> list[RussianMention]:
    """Every PER/ORG/LOC mention in the text's Russian paragraphs, in order, with lemmas."""
    if not has_cyrillic(text):
        return []
    from natasha import Doc

    segmenter, ner, morph = _models()
    found = []
    for offset, part in _russian_parts(text):
        doc = Doc(part)
        doc.segment(segmenter)
        doc.tag_ner(ner)
        for span in doc.spans:
            start, end = offset + span.start, offset + span.stop
            name = lemma(span.text.split(), span.type, morph)
            found.append(RussianMention(start, end, text[start:end], span.type, name))
    return found
