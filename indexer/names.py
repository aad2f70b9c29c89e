"""Rule-based named-entity extraction: capitalised runs, trimmed and typed by word lists."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from indexer import gazetteer as gz
from indexer.gazetteer import fold

__all__ = ["Entity", "Names", "build_case_lexicon", "extract_names", "find_entities"]


@dataclass(frozen=True)
class Entity:
    """One mention: character offsets into the source text and its type (PER/ORG/LOC/MISC)."""

    start: int
    end: int
    text: str
    type: str


@dataclass(frozen=True)
class Names:
    """Canonical, deduplicated names of one document, in order of first mention."""

    people: tuple[str, ...]
    organizations: tuple[str, ...]
    places: tuple[str, ...]


# URLs, e-mail addresses, @handles and bare domains are skipped, never words.
_TOKEN = re.compile(
    r"(?P<skip>https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|int|info|io|co|uk|ru|de|fr)\b)"
    r"|(?P<word>[A-Z]{1,3}\$|(?:[A-Z]\.){2,}(?:-\w+)*|[A-Z]\.(?=\s+[A-Z])|\w+(?:(?:['’](?![sS]\b)|[-&])\w+)*)"
    r"|(?P<punct>\S)"
)
_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}|[A-Z][A-Z&]{1,5}")
_SURNAME_END = re.compile(
    r"(?:ov|ova|ev|eva|enko|ski|sky|ska|vic|vich|ovic|escu|idis|poulos|oglu|ian|yan|ashvili|stein|berg|sson|sen)$"
)
_SENTENCE_END = frozenset('.!?:;"“”—–')
_OPENERS = frozenset("\"“‘'([-—–*•")
_ABBREV = gz.words("Mr Mrs Ms Dr Prof Rev Fr Sr Jr St Gen Col Lt Capt Sen Rep Gov Maj Sgt Adm Mt No vs v")
_SAY = gz.words("said says told added asked noted stated explained replied wrote")
_LOC_CUE = gz.words("in at near from outside to into across of")
_CONNECT_OF = frozenset(("of", "for"))
_TITLE_WORDS = frozenset(fold(w) for w in gz.TITLES | gz.HONORIFICS)
_TITLE_ANY = _TITLE_WORDS | frozenset(fold(w) for w in gz.TITLE_MODIFIERS)
_BREAK = frozenset(fold(w) for w in gz.MONTHS | gz.WEEKDAYS) | gz.words(
    "the a an this that these those he she it we they i you his her its our their my"
)
_MISC_HEADS = gz.words(
    "Cup Open Championship Championships Games Olympics Prix Trophy Award Awards Prize War "
    "Slam Series Rally Tour Day Festival Act Treaty Accord Accords Declaration Convention Memorandum"
)
# Words that never open an organisation name even when the run ends in an ORG head.
_FUNCTION = gz.words(
    "the a an this that these those his her its their our however but and or in on at for from "
    "by with as after before when while if meanwhile also both all some many under according "
    "other another last next"
)
_MISC_WORDS = frozenset(("gmt",))
_CALENDAR = frozenset(fold(w) for w in gz.MONTHS | gz.WEEKDAYS)
_CODE = re.compile(r"[A-Za-z]{1,5}-\d{1,4}")
_ROMAN = re.compile(r"[IVX]{2,5}")
_PARTY_STATE = re.compile(r"[DRI]-[A-Z][a-z]*\.?")  # "D-Conn", "R-Iowa": a legislator's party and state
_ABSTRACT = re.compile(r"(?:tions?|ments?|ness|ities|ity|ships?|isms?|ologies|ology)$")
_DEMONYM_MODIFIERS = gz.words(
    "north south east west northern southern eastern western central upper lower gulf saudi new"
)
_TEAM = r"([A-Z][\w.'&-]*(?: [A-Z][\w.'&-]*){0,3})"
# "Leeds 2 Wimbledon 1", "CHICAGO 69 59 .539", "Leeds v Wimbledon", "TORONTO AT CHICAGO"
_SPORTS_LINE = re.compile(
    rf"^{_TEAM} (?:\d{{1,3}},? {_TEAM} \d{{1,3}}\b|\d{{1,3}} \d{{1,3}} |(?:v|vs\.?|AT|at) {_TEAM}\s*$)"
)
_DIGIT_AT = re.compile(r"[A-Za-z] \d{1,3}\b|\b(?:v|vs|AT)\b")
_WRAP_MIN = 40  # shorter lines are headings, datelines or labels, never joined to the next
_HEADLINE_SMALL = gz.words("of the in on at for and to a an with by from as")
_ALIASES = {
    "un": "United Nations",
    "u.n.": "United Nations",
    "us": "United States",
    "u.s.": "United States",
    "usa": "United States",
    "u.s.a.": "United States",
    "uk": "United Kingdom",
    "u.k.": "United Kingdom",
    "eu": "European Union",
}


def build_case_lexicon(texts: Iterable[str]) -> dict[str, float]:
    """Folded word -> share of its mid-sentence uses that are lower-case, from unlabelled text."""
    lower: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for text in texts:
        prev = "."
        for m in _TOKEN.finditer(text):
            tok = m.group()
            if m.lastgroup == "word" and tok[0].isalpha() and prev not in _SENTENCE_END:
                key = fold(tok)
                total[key] += 1
                lower[key] += tok[0].islower()
            prev = tok
    return {w: lower[w] / n for w, n in total.items()}


_CAPITALS = frozenset(chr(c) for c in range(ord("A"), ord("Z") + 1)) | frozenset(
    chr(c) for c in range(0xC0, 0xDF)
)  # Latin capitals (A-Z, À-Þ) only: Cyrillic runs are skipped
# A line ending in an initial ("J.") may run on into a name on the next line, which the
# tokeniser reads as one token only when it sees both lines together.
_ENDS_IN_INITIAL = re.compile(r"[A-Z]\.\s*$")


def _is_cap(tok: str) -> bool:
    """True for a word starting with a Latin capital letter."""
    return tok[:1] in _CAPITALS


class _Line:
    """A line's tokens as parallel lists, for fast index-based scanning."""

    __slots__ = ("_mode", "caps", "ends", "first", "starts", "toks", "words")

    def __init__(self, line: str, offset: int) -> None:
        matches = list(_TOKEN.finditer(line))
        self.toks: list[str] = [m.group() for m in matches]
        self.starts: list[int] = [offset + m.start() for m in matches]
        self.ends: list[int] = [offset + m.end() for m in matches]
        self.words: list[bool] = [m.lastgroup == "word" for m in matches]
        self.caps: list[bool] = [word and tok[0] in _CAPITALS for tok, word in zip(self.toks, self.words)]
        self.first: list[bool] = []  # sentence-initial flags, set for body lines
        self._mode: str | None = None

    @classmethod
    def joined(cls, lines: list[_Line]) -> _Line:
        """Consecutive lines as one, their tokens in order (no token spans a line break)."""
        line = cls.__new__(cls)
        line.toks, line.starts, line.ends, line.words, line.caps = [], [], [], [], []
        for part in lines:
            line.toks += part.toks
            line.starts += part.starts
            line.ends += part.ends
            line.words += part.words
            line.caps += part.caps
        line.first, line._mode = [], None
        return line

    def mode(self) -> str:
        """'caps' for all-caps lines (headlines, datelines), 'title' for title-case headings."""
        if self._mode is None:
            self._mode = self._find_mode()
        return self._mode

    def _find_mode(self) -> str:
        alpha = [t for t, w in zip(self.toks, self.words) if w and t[0].isalpha()]
        if not alpha:
            return "normal"
        upper = sum(1 for t in alpha if t.isupper())
        if upper >= 0.6 * len(alpha) and any(len(t) > 1 or len(alpha) == 1 for t in alpha if t.isupper()):
            return "caps" if upper > 1 or len(alpha) <= 2 else "normal"
        small = sum(1 for t in alpha if t in _HEADLINE_SMALL)
        if (small and len(alpha) - small >= 4 and all(_is_cap(t) or t in _HEADLINE_SMALL for t in alpha)) and self.toks[
            -1
        ] not in ".!?":
            return "title"
        return "normal"


def _blocks(text: str) -> list[_Line]:
    """The text's lines, with hard-wrapped prose lines ("... in the\nBahia cocoa zone") joined."""
    raw = text.split("\n")
    offsets = [0]
    for line in raw:
        offsets.append(offsets[-1] + len(line) + 1)
    lines = [_Line(line, offsets[i]) for i, line in enumerate(raw)]
    if not _is_wrapped(raw):
        return lines
    out: list[_Line] = []
    i = 0
    while i < len(raw):
        j = i
        while j + 1 < len(raw) and _wraps(raw[j], raw[j + 1]) and lines[j].mode() == lines[j + 1].mode() == "normal":
            j += 1
        if j == i:
            out.append(lines[i])
        elif any(_ENDS_IN_INITIAL.search(line) for line in raw[i:j]):
            out.append(_Line(text[offsets[i] : offsets[j] + len(raw[j])], offsets[i]))
        else:
            out.append(_Line.joined(lines[i : j + 1]))
        i = j + 1
    return out


def _wraps(line: str, nxt: str) -> bool:
    """True when a long prose line runs on into an unindented next line."""
    return len(line) >= _WRAP_MIN and nxt[:1].isalnum() and not line.endswith(("  ", "\t"))


def _is_wrapped(raw: list[str]) -> bool:
    """A document whose prose is hard-wrapped: several long lines go on in lower case on the next."""
    runs_on = 0
    for line, nxt in itertools.pairwise(raw):
        if len(line) >= _WRAP_MIN and nxt[:1].islower() and line.rstrip()[-1:] not in ".!?:":
            runs_on += 1
            if runs_on >= 2:
                return True
    return False


def _sports_teams(text: str) -> frozenset[str]:
    """Folded city and region names that stand for clubs in results, standings or fixture lines."""
    if not _DIGIT_AT.search(text):
        return frozenset()
    found = set()
    for raw in text.split("\n"):
        m = _SPORTS_LINE.match(raw)
        if m:
            found.update(fold(g) for g in m.groups() if g)
    if not found:
        return frozenset()
    places, nations = gz.places(), gz.nations()
    return frozenset(k for k in found if k in places and k not in nations)


def _sentence_starts(line: _Line) -> list[bool]:
    """Flag tokens that begin a sentence (after openers such as quotes and dashes)."""
    flags = [False] * len(line.toks)
    at_start = True
    prev = ""
    for i, tok in enumerate(line.toks):
        if line.words[i]:
            flags[i] = at_start
            at_start = False
        elif tok in _SENTENCE_END and prev not in _ABBREV and not (tok == "." and len(prev) == 1):
            at_start = True
        elif tok not in _OPENERS:
            at_start = at_start and tok in "*•"
        prev = tok
    return flags


def _chunks(line: _Line) -> list[list[int]]:
    """Maximal runs of capitalised tokens, through name particles, '&', and 'of' after a head."""
    toks, caps, n = line.toks, line.caps, len(line.toks)
    runs: list[list[int]] = []
    i = 0
    while i < n:
        if not caps[i]:
            i += 1
            continue
        run = [i]
        j = i + 1
        of_seen = False  # "Faculty of Social and Political Science": "and" joins only after "of"
        while j < n:
            if line.starts[j] - line.ends[j - 1] > 1:
                break  # a table column gap, not a space between words
            if caps[j]:
                run.append(j)
            elif (
                j + 1 < n
                and caps[j + 1]
                and (
                    toks[j] in gz.PARTICLES
                    or toks[j] == "&"
                    or (toks[j] in _CONNECT_OF and toks[j - 1] in gz.OF_HEADS)
                    or (toks[j] == "and" and of_seen)
                    or (toks[j] == "." and toks[j - 1] in _ABBREV)
                )
            ):
                of_seen = of_seen or toks[j] in _CONNECT_OF
                run.append(j)
            else:
                break
            j += 1
        runs.append(run)
        i = j
    return runs


def _strip_connectors(toks: list[str], run: list[int]) -> list[int]:
    """Drop connectors left dangling at either end of a run after splitting."""
    while run and not _is_cap(toks[run[0]]):
        run = run[1:]
    while run and not _is_cap(toks[run[-1]]):
        run = run[:-1]
    return run


class _Doc:
    """Per-document state: case evidence, typed names, and the pieces still to type."""

    def __init__(self, text: str, lexicon: Mapping[str, float] | None) -> None:
        self.text = text
        self.lexicon = lexicon
        self.lines = _blocks(text)
        self.lower_seen: set[str] = set()
        self.cap_seen: set[str] = set()
        self.known: dict[str, str] = {}
        self.acronyms: dict[str, str] = {}
        self.teams = _sports_teams(text)

    def common_start(self, tok: str) -> bool:
        """True when a sentence-initial word is most likely an ordinary word."""
        key = fold(tok)
        if key in gz.common_words():
            return True
        if key in gz.places() or key in gz.demonyms():
            return False
        if self.lexicon is not None and key in self.lexicon:
            return self.lexicon[key] > 0.5
        return key in self.lower_seen and key not in self.cap_seen


def _pieces(doc: _Doc, line: _Line) -> list[tuple[list[int], bool]]:
    """Split a line's runs at breakers, sentence-initial words and titles; flag person cues."""
    toks, starts = line.toks, line.first
    out: list[tuple[list[int], bool]] = []
    for run in _chunks(line):
        parts: list[list[int]] = [[]]
        # Keep "International" in "International ... Union" and "New" in "New Zealand".
        pair = " ".join(fold(toks[i]) for i in run[:2]) if len(run) > 1 else ""
        named = pair in gz.places() or (toks[run[-1]] in gz.ORG_HEADS and len(run) > 2)
        for i in run:
            key = fold(toks[i])
            if key in _BREAK or key in gz.JUNK or key in gz.NOT_NAMES:
                parts.append([])
            elif starts[i] and (key in _FUNCTION if named else doc.common_start(toks[i])):
                parts.append([])  # "However", "Analysts"
            else:
                if parts[-1] and _acronym_break(toks[parts[-1][-1]], toks[i]):
                    parts.append([])
                parts[-1].append(i)
        for part in parts:
            part = _strip_connectors(toks, part)
            if not part:
                continue
            cue = False
            last = toks[part[-1]]
            titled = [k for k, i in enumerate(part) if fold(toks[i]) in _TITLE_WORDS]
            if titled and last not in gz.ORG_HEADS and last not in gz.ORG_SUFFIXES:
                k = titled[-1]
                left = part[:k]
                while left and fold(toks[left[-1]]) in _TITLE_ANY:
                    left.pop()
                left = _strip_connectors(toks, left)
                if left:
                    out.append((left, False))
                part = _strip_connectors(toks, part[k + 1 :])
                cue = bool(part)
            if not part or _lone_title(toks, part):
                continue  # a lone title such as "Deputy Minister"
            if _demonym_first(toks, part):
                out.append((part[:1], False))  # "American Anne Miller": MISC, then the name
                part = part[1:]
            elif _country_first(toks, part):
                out.append((part[:1], False))  # "U.S. Producer": the country, and a noun after it
                rest = fold(toks[part[1]])
                if rest not in gz.places() and rest not in gz.demonyms():
                    continue
                part = part[1:]
            if not cue:
                cue = _title_around(line, part)
            out.append((part, cue))
    return out


def _acronym_break(prev: str, tok: str) -> bool:
    """Split "WSIS Janis Mazeiks" and "WSIS UN": an acronym ends a run before a name or acronym."""
    if len(prev) < 2 or not prev.isupper() or tok in gz.ORG_SUFFIXES:
        return False
    both = tok.isupper() and (fold(tok) in _ALIASES or fold(prev) in _ALIASES)
    return both or (fold(tok) in gz.first_names() and not tok.isupper())


def _lone_title(toks: list[str], part: list[int]) -> bool:
    """Only title words, at least one of them a title head ("Deputy Minister", not "Senate")."""
    keys = [fold(toks[i]) for i in part]
    return all(k in _TITLE_ANY for k in keys) and any(k in _TITLE_WORDS for k in keys)


def _demonym_first(toks: list[str], part: list[int]) -> bool:
    """A run such as "American Anne Miller" whose leading demonym is a mention of its own."""
    if len(part) < 2 or fold(toks[part[0]]) not in gz.demonyms() or _has_head(toks, part):
        return False
    rest = [fold(toks[i]) for i in part]
    return " ".join(rest) not in gz.places() and not all(k in gz.demonyms() for k in rest)


def _country_first(toks: list[str], part: list[int]) -> bool:
    """A run such as "U.S. Producer" that opens with a dotted country abbreviation."""
    if len(part) != 2 or not toks[part[0]].endswith(".") or fold(toks[part[0]]) not in gz.nations():
        return False
    rest = toks[part[1]]  # "U.S. Treasury" and "U.S. Open" are one name
    return rest not in gz.ORG_HEADS and rest not in _MISC_HEADS and rest not in gz.ORG_SUFFIXES


def _has_head(toks: list[str], part: list[int]) -> bool:
    """True when a run names an organisation or event by one of its head words."""
    words = [toks[i] for i in part]
    return any(w in gz.ORG_HEADS or w in _MISC_HEADS for w in words) or words[-1] in gz.ORG_SUFFIXES


def _title_around(line: _Line, part: list[int]) -> bool:
    """A title word just before a run ("spokesman X") or after a comma ("X, Deputy Minister")."""
    toks, a, b = line.toks, part[0], part[-1]
    if a > 0 and fold(toks[a - 1]) in _TITLE_WORDS:
        return True
    if b + 2 < len(toks) and toks[b + 1] == "," and fold(toks[b + 2]) in _TITLE_ANY:
        return fold(toks[b + 2]) not in gz.demonyms()
    return False


def _type_piece(doc: _Doc, line: _Line, part: list[int], cue: bool) -> str | None:
    """Type one trimmed run, or None when it is junk."""
    toks = line.toks
    words = [toks[i] for i in part if line.caps[i]]
    key = " ".join(fold(toks[i]) for i in part)
    if key in gz.JUNK or all(fold(w) in gz.JUNK for w in words):
        return None
    if key in doc.known:
        return doc.known[key]
    first, last, n = words[0], words[-1], len(words)
    places = gz.places()
    if n == 1:
        verdict = _lone_word(doc, line, part, first, key)
        if verdict is not None:
            return verdict or None
    if key in doc.teams and not _dateline(line, part):
        return "ORG"
    if all(fold(w) in gz.demonyms() for w in words) or key in _MISC_WORDS or key in gz.demonyms():
        return "MISC"
    if n > 1 and all(len(w) > 3 and w.isupper() for w in words) and key not in places:
        return None  # "PRESS DIGEST": a shouted heading, not a name
    if n > 1 and fold(last) in gz.demonyms() and " ".join(key.split()[:-1]) in _DEMONYM_MODIFIERS:
        return "MISC"  # "South American", "Gulf Arab", "West German"
    if key in gz.KNOWN_ORGS:
        return "ORG"
    if n == 1 and "-" in first and first[first.rindex("-") + 1 :].islower():
        head = fold(first[: first.index("-")])
        if head in gz.demonyms() or head in places:
            return "MISC"  # "U.S.-led", "German-based"
    if last in gz.ORG_SUFFIXES:
        return "ORG"
    rank = places.get(key, 0)
    if rank == gz.COUNTRY or (rank == gz.STRONG and not (n == 1 and first.isupper() and len(first) < 4)):
        return "LOC"  # but "ITU" is an acronym before it is a Brazilian city
    if first in gz.LOC_HEADS and n > 1 and fold(" ".join(words[2 - (toks[part[1]] in _CONNECT_OF) :])) in places:
        return "LOC"
    if any(w in gz.ORG_HEADS for w in words):
        return "ORG"
    if n > 1 and (last in _MISC_HEADS or (first in _MISC_HEADS and len(part) > n)):
        return "MISC"
    if last in gz.LOC_HEADS and n > 1:
        return "LOC"
    if cue or (n > 1 and fold(first) in gz.first_names()):
        return "PER"
    prev = toks[part[0] - 1] if part[0] > 0 else ""
    if rank and (prev in _LOC_CUE or part[0] == 0) and not (first.isupper() and len(first) < 4):
        return "LOC"
    if any(fold(w) in places for w in words[1:]):
        return "ORG"  # "Borussia Dortmund", "Ajax Amsterdam"
    nxt = toks[part[-1] + 1] if part[-1] + 1 < len(toks) else ""
    if n == 1:
        if key in doc.acronyms:
            return doc.acronyms[key]
        if _ACRONYM.fullmatch(first):
            return "ORG"
        if nxt in _SAY or _SURNAME_END.search(first):
            return "PER"
        if (line.first[part[0]] and key not in doc.cap_seen) or len(first) == 1:
            return None  # an unknown capitalised word at a sentence start or as a label
        return "ORG"
    if first.endswith(".") or (n < 4 and all(w[1:].islower() and w.isalpha() for w in words)):
        return "PER"
    return "ORG"


def _shouted_place(rank: int, size: int) -> bool:
    """In a headline a lone city may be an ordinary word ("STOCK SPLIT"); a country or a longer name is not."""
    return rank == gz.COUNTRY or (rank == gz.STRONG and size > 1)


def _dateline(line: _Line, part: list[int]) -> bool:
    """A place that opens a line and is followed by a comma or a date ("CHICAGO 1996-08-22")."""
    nxt = line.toks[part[-1] + 1] if part[-1] + 1 < len(line.toks) else ""
    return part[0] == 0 and (nxt == "," or nxt[:1].isdigit() and "-" in nxt or nxt == "")


def _lone_word(doc: _Doc, line: _Line, part: list[int], word: str, key: str) -> str | None:
    """'' for a lone capitalised word that is no name (suffix, generic head, label), 'MISC' for a
    modifier or model code, None when the usual typing should decide."""
    toks, i = line.toks, part[0]
    nxt = toks[i + 1] if i + 1 < len(toks) else ""
    if word in gz.ORG_SUFFIXES or _ROMAN.fullmatch(word) or _PARTY_STATE.fullmatch(word):
        return ""  # "Inc", "III", "D-Conn"
    if word.endswith("$"):
        return "MISC"  # a currency: "C$", "US$"
    if any(c.isdigit() for c in word):
        return "MISC" if _CODE.fullmatch(word) else ""  # "CAC-40", "F-14"; not "Q1", "WSIS+10"
    if "-" in word and word[word.rindex("-") + 1 :].islower():
        return "MISC"  # "U.S.-led", "BRICS-countries": a modifier, not a name
    if word in gz.LOCATORS and (nxt[:1].isdigit() or len(nxt) == 1 and nxt.isupper()):
        return ""  # "Room 3117", "Class A"
    if "-" in word and any(fold(w) in _CALENDAR for w in word.split("-")):
        return ""  # "March-May"
    if key in gz.common_nouns():
        return ""  # "Power", "Food": an ordinary word capitalised as a label or after "U.S."
    if key in gz.STATE_ABBREVIATIONS:  # "HARTFORD, Conn.", "Albany, N.Y.": a US state
        return "LOC" if "." in key or (i > 0 and toks[i - 1] == ",") else ""
    if word.isupper() or key in gz.demonyms() or key in gz.KNOWN_ORGS:
        return None
    rank = gz.places().get(key, 0)
    if rank >= gz.STRONG or (rank and key not in doc.lower_seen and (key in doc.cap_seen or not line.first[i])):
        return None  # a small town must be capitalised mid-sentence somewhere: not "Mine officials said"
    if key in gz.common_words():
        return ""  # "Power", "Food": an ordinary word capitalised as a label or in a heading
    if word in gz.STANDALONE_HEADS:
        return None
    if word in gz.ORG_HEADS or _ABSTRACT.search(key) or key in doc.lower_seen:
        # "Forum", "Society": a generic head without its proper name; "Consultations": an
        # abstract noun; "Management" also written lower-case in the document: heading case.
        return ""
    return None


def _remember(doc: _Doc, line: _Line, part: list[int], typ: str) -> None:
    """Record a typed name so later mentions, surnames and acronyms reuse its type."""
    toks = [line.toks[i] for i in part]
    doc.known.setdefault(" ".join(fold(t) for t in toks), typ)
    caps = [t for t in toks if _is_cap(t)]
    if typ == "PER" and len(caps) > 1:
        doc.known.setdefault(fold(caps[-1]), "PER")
    if len(caps) > 2 and typ in ("ORG", "LOC"):
        doc.acronyms.setdefault("".join(t[0] for t in caps).lower(), typ)


def _match_known(doc: _Doc, line: _Line, cased: bool) -> list[Entity]:
    """Headline lines: only names known from the body, places and demonyms, longest first."""
    toks, out, i, n = line.toks, [], 0, len(line.toks)
    places = gz.places()
    while i < n:
        if not line.words[i] or (cased and not line.caps[i]):
            i += 1
            continue
        for size in range(min(4, n - i), 0, -1):
            span = range(i, i + size)
            if not all(line.words[k] and (line.caps[k] or not cased) for k in span):
                continue
            key = " ".join(fold(toks[k]) for k in span)
            typ = doc.known.get(key)
            if typ is None and key in doc.teams and not _dateline(line, list(span)):
                typ = "ORG"
            if typ is None and size == 1 and key in gz.demonyms():
                typ = "MISC"
            if typ is None and key in places and (_shouted_place(places[key], size) or _dateline(line, list(span))):
                typ = "LOC"
            if typ is not None and key not in gz.JUNK:
                end = line.ends[i + size - 1]
                out.append(Entity(line.starts[i], end, doc.text[line.starts[i] : end], typ))
                i += size
                break
        else:
            i += 1
    return out


def find_entities(text: str, lexicon: Mapping[str, float] | None = None) -> list[Entity]:
    """Every name mention in text, in order; lexicon maps folded words to their lower-case share."""
    doc = _Doc(text, lexicon)
    modes = [line.mode() for line in doc.lines]
    for line, mode in zip(doc.lines, modes):
        if mode != "normal":
            continue
        line.first = _sentence_starts(line)
        for tok, word, start in zip(line.toks, line.words, line.first):
            if word and not start:
                (doc.cap_seen if _is_cap(tok) else doc.lower_seen).add(fold(tok))
    pending = [
        (line, part, cue)
        for line, mode in zip(doc.lines, modes)
        if mode == "normal"
        for part, cue in _pieces(doc, line)
    ]
    # Multi-word and cued names first, so that lone surnames and acronyms can inherit their type.
    typed: dict[int, str | None] = {}
    for rank in (0, 1):
        for idx, (line, part, cue) in enumerate(pending):
            if (len(part) > 1 or cue) == (rank == 0):
                typ = _type_piece(doc, line, part, cue)
                typed[idx] = typ
                if typ is not None:
                    _remember(doc, line, part, typ)
    out = []
    for idx, (line, part, _) in enumerate(pending):
        if typed[idx] is not None:
            start, end = line.starts[part[0]], line.ends[part[-1]]
            out.append(Entity(start, end, text[start:end], typed[idx]))
    for line, mode in zip(doc.lines, modes):
        if mode != "normal":
            out.extend(_match_known(doc, line, cased=mode == "title"))
    out.sort(key=lambda e: e.start)
    return out


def _mention(e: Entity) -> str:
    """An entity's text on one line: wrapped names ("Mario\nBrodersohn") keep single spaces."""
    return " ".join(e.text.split())


def _is_ticker(e: Entity, text: str) -> bool:
    """A stock symbol in angle brackets, as newswires write it: "United Technologies <UTX>"."""
    return text[e.start - 1 : e.start] == "<" and text[e.end : e.end + 1] == ">" and e.text.isupper()


def _display(name: str, typ: str) -> str:
    """A shouted name ("NEW YORK", "NATIONAL INTERGROUP") in title case; acronyms stay as they are."""
    words = name.split()
    if not name.isupper() or not (typ in ("LOC", "PER") or len(words) > 1 and all(len(w) > 3 for w in words)):
        return name
    if len(words) == 1 and (len(name) <= 3 or "." in name):
        return name  # "USA", "U.K."
    return " ".join(w.lower() if fold(w) in gz.PARTICLES and k else w.capitalize() for k, w in enumerate(words))


def _names_alias(e: Entity, nxt: Entity, text: str, words: int) -> bool:
    """True when nxt is an acronym in brackets after a long name, or a ticker after a company."""
    between = text[e.end : nxt.start].strip()
    if between == "<":
        return _is_ticker(nxt, text)
    return words > 1 and between == "(" and _ACRONYM.fullmatch(nxt.text) is not None and nxt.text[0] == e.text[0]


def _canonical(entities: list[Entity], text: str) -> dict[str, tuple[str, str]]:
    """Map each folded mention to (canonical form, type), merging aliases within the document."""
    canon: dict[str, tuple[str, str]] = {}
    full_people: dict[str, str] = {}
    for i, e in enumerate(entities):
        mention = _mention(e)
        key = fold(mention)
        if _is_ticker(e, text):
            continue  # named by the company before it, or not at all
        if key in _ALIASES:
            name = _ALIASES[key]
            canon[key] = (
                name,
                "LOC" if "States" in name or "Kingdom" in name else "ORG",
            )
            continue
        if e.type == "LOC" and key in gz.STATE_ABBREVIATIONS:
            canon[key] = (gz.STATE_ABBREVIATIONS[key], "LOC")  # "Conn" -> Connecticut
            continue
        parts = mention.split()
        if e.type == "PER" and len(parts) > 1:
            full_people.setdefault(fold(parts[-1]), mention)
        # "Long Name (ACR)": the acronym is an alias of the long name; so is a ticker "<ACR>".
        nxt = entities[i + 1] if i + 1 < len(entities) else None
        if nxt and _names_alias(e, nxt, text, len(parts)):
            canon.setdefault(fold(nxt.text), (mention, e.type))
        old = canon.get(key)
        if old is None or (old[0].isupper() and not mention.isupper()):
            canon[key] = (mention, e.type if old is None else old[1])
    for key, (name, typ) in list(canon.items()):
        if typ == "PER" and " " not in name and key in full_people:
            canon[key] = (full_people[key], "PER")
        else:
            canon[key] = (_display(name, typ), typ)
    return canon


def extract_names(text: str) -> Names:
    """Canonical people, organisations and places of a document, deduplicated, by first mention."""
    entities = [e for e in find_entities(text) if e.type != "MISC"]
    canon = _canonical(entities, text)
    groups: dict[str, dict[str, None]] = {"PER": {}, "ORG": {}, "LOC": {}}
    for e in entities:
        key = fold(_mention(e))
        if key not in canon:
            continue  # a ticker with no company name before it
        name, typ = canon[key]
        if fold(name) in gz.JUNK or fold(name) in gz.common_words():
            continue
        if not any(name in g for g in groups.values()):
            groups[typ][name] = None
    return Names(tuple(groups["PER"]), tuple(groups["ORG"]), tuple(groups["LOC"]))
