"""Evidence in a document that a capitalised name is a work, a product or an event, not a person or a firm.

A name alone does not say what it names: "Harry Potter" looks like a person, "Xbox" and "Windows" like
firms, "Wimbledon" like a town or its club. The words around it do: a title's inner small words
("Breakfast with Frost", "Harry Potter and the Prisoner of Azkaban"), quotation marks or italics around
it, a maker's possessive and a version ("Microsoft's Xbox", "Windows XP"), a product noun after it
("Xbox console"), an event noun after it ("Wimbledon champion").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from indexer.documents import gazetteer as gz
from indexer.documents.gazetteer import fold

__all__ = ["Piece", "work_names"]

# A piece: a line's tokens, their capitalised and sentence-initial flags, and the token indexes of one name.
Piece = tuple[Sequence[str], Sequence[bool], Sequence[bool], Sequence[int]]

# Small words inside titles ("Breakfast with Frost", "Lost in Translation"); not "of" or "for", which
# join the names of institutions too ("Houses of Parliament", "Campaign for Nuclear Disarmament").
_TITLE_INNER = gz.words("with without in on at from to about")
_TITLE_SMALL = _TITLE_INNER | gz.words("the a an and of")
_QUOTES = {'"': '"', "“": "”", "‘": "’", "'": "'", "*": "*"}
# Nouns for what a maker makes: two kinds of evidence make "Xbox" a product ("Xbox games console").
_PRODUCT_NOUNS = gz.words("""console consoles software browser handset handsets phone phones player players
    device devices gadget gadgets platform operating version versions update upgrade edition model models
    game games video users owners release releases""")
_USE = gz.words("running using run runs installed")
_NEWER = gz.words("new next latest original previous")
_VERSION = re.compile(r"\d{1,4}|[IVX]{1,4}|[A-Z]{2}")
# Nouns for a contest: a name before one of them names the contest ("Wimbledon champion").
_EVENT_NOUNS = gz.words("""final finals finalist finalists semi-final semi-finals semi-finalist semi-finalists
    quarter-final quarter-finals quarter-finalist champion crown tournament singles doubles""")
_PRODUCT_CUES = 2


def work_names(pieces: Iterable[Piece]) -> set[str]:
    """The folded names of a document's pieces that its text shows to be works, products or events."""
    found: set[str] = set()
    product_cues: dict[str, set[str]] = defaultdict(set)
    for toks, caps, first, part in pieces:
        a, b = part[0], part[-1]
        key = " ".join(fold(toks[i]) for i in part)
        after = fold(toks[b + 1]) if b + 1 < len(toks) else ""
        if after in _EVENT_NOUNS and len(part) == 1 and key not in gz.nations() and key not in gz.demonyms():
            found.add(key)  # "Wimbledon champion", though Wimbledon is a town too
        if _named_thing(key) or any(_head(toks[i]) for i in part):
            continue
        if _in_title(toks, caps, first, a, b) or _enclosed(toks, a, b):
            found.add(key)
            continue
        if len(part) == 2 and _VERSION.fullmatch(toks[b]) and not toks[a].isupper():
            product_cues[fold(toks[a])].add("version")  # "Windows XP"
            found.add(key)
        elif len(part) == 1 and not toks[a].isupper():
            product_cues[key].update(_product_cues(toks, caps, a))
    found.update(k for k, cues in product_cues.items() if len(cues) >= _PRODUCT_CUES)
    return found


def _named_thing(key: str) -> bool:
    """A place, a nationality or a known organisation: never read as a work, whatever the words around."""
    return key in gz.places() or key in gz.demonyms() or key in gz.KNOWN_ORGS


def _in_title(toks: Sequence[str], caps: Sequence[bool], first: Sequence[bool], a: int, b: int) -> bool:
    """The name sits in a title: capitalised words joined by small words, one of them an ordinary word
    capitalised alone mid-sentence right before an inner small word ("Breakfast with Frost"; not "Six
    Nations at Twickenham", whose "Nations" belongs to a name)."""
    lo, hi = a, b
    while (step := _small_words(toks, caps, lo, -1)) is not None:
        lo = step
        while lo > 0 and caps[lo - 1]:
            lo -= 1
    while (step := _small_words(toks, caps, hi, 1)) is not None:
        hi = step
        while hi + 1 < len(toks) and caps[hi + 1]:
            hi += 1
    return any(
        caps[i] and not first[i] and not caps[i - 1] and _inner_after(toks, i) and _plain_word(toks[i])
        for i in range(max(lo, 1), hi)
        if not a <= i <= b  # another word of the title: "Google on Tuesday" is no title
    )


def _small_words(toks: Sequence[str], caps: Sequence[bool], i: int, step: int) -> int | None:
    """The index of the capitalised word a small word away from i, or "and the" or "of the" away
    ("Harry Potter and the Prisoner"), or None."""
    k = i + step
    if not 0 <= k < len(toks) or toks[k] not in _TITLE_SMALL:
        return None
    pair = (toks[k], toks[k + step]) if 0 <= k + step < len(toks) else ()
    if step < 0:
        pair = pair[::-1]
    if pair in (("and", "the"), ("of", "the")):
        k += step
    k += step
    return k if 0 <= k < len(toks) and caps[k] else None


def _inner_after(toks: Sequence[str], i: int) -> bool:
    """An inner small word after the word at i, or "of" after one in mid-title ("and the Prisoner of Azkaban")."""
    if toks[i + 1] in _TITLE_INNER:
        return True
    return toks[i + 1] == "of" and i > 1 and toks[i - 1] == "the" and toks[i - 2] == "and"


def _head(word: str) -> bool:
    """A head word of an organisation's, a place's or a title's name ("Ministry", "House", "River")."""
    return (
        word in gz.ORG_HEADS
        or word in gz.OF_HEADS
        or word in gz.LOC_HEADS
        or word in gz.STANDALONE_HEADS
        or word in gz.TITLES
        or word in gz.ORG_SUFFIXES
    )


def _plain_word(word: str) -> bool:
    """An everyday word that heads no name: not a title, an organisation's, place's or event's head."""
    if _head(word):
        return False
    key = fold(word)
    if word in gz.MONTHS or word in gz.WEEKDAYS or key in gz.any_first_names():
        return False  # "on 12 March at Twickenham"
    return key in gz.english_words() and not _named_thing(key)


def _enclosed(toks: Sequence[str], a: int, b: int) -> bool:
    """The whole name and nothing else between quotation marks or italics asterisks ("Longhorn")."""
    if a == 0 or b + 1 >= len(toks):
        return False
    close = _QUOTES.get(toks[a - 1])
    return close is not None and toks[b + 1] == close


def _product_cues(toks: Sequence[str], caps: Sequence[bool], a: int) -> set[str]:
    """Kinds of product evidence around a lone name at index a: a maker's possessive before it, a version
    or a product noun after it, "new" or "next" before it, a verb of use before it."""
    cues: set[str] = set()
    if a + 2 < len(toks) and toks[a + 1] in "'’" and toks[a + 2] == "s":
        return cues  # "using Microsoft's browser": the maker, not the product
    if a >= 3 and toks[a - 2] in "'’" and toks[a - 1] == "s" and caps[a - 3] and not _named_thing(fold(toks[a - 3])):
        cues.add("maker")  # "Microsoft's Xbox"
    if a > 0 and fold(toks[a - 1]) in _NEWER:
        cues.add("newer")  # "the next Xbox"
    if a > 0 and fold(toks[a - 1]) in _USE:
        cues.add("use")  # "PCs running Windows"
    if a > 1 and toks[a - 1] == "of" and fold(toks[a - 2]) in _PRODUCT_NOUNS:
        cues.add("noun")  # "versions of Windows"
    after = toks[a + 1] if a + 1 < len(toks) else ""
    if _VERSION.fullmatch(after) and not (a + 2 < len(toks) and caps[a + 2]):
        cues.add("version")  # "Xbox 2", "Windows XP"; not "Chelsea 2 Arsenal 1"
    if fold(after) in _PRODUCT_NOUNS:
        cues.add("noun")  # "Windows software", "Xbox games console"
    return cues
