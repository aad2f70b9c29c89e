"""Rule-based named-entity extraction: capitalised runs, trimmed and typed by word lists."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from indexer.documents import gazetteer as gz
from indexer.documents.canonical import ACRONYM, PLACE_NAMES, canonical_values, mention_text, shown
from indexer.documents.gazetteer import fold
from indexer.documents.russian import find_russian_mentions

__all__ = ["Entity", "Names", "extract_names", "find_entities"]


@dataclass(frozen=True)
class Entity:
    """One mention: character offsets into the source text and its type (PER/ORG/LOC/MISC)."""

    start: int
    end: int
    text: str
    type: str
    lemma: str | None = field(default=None, compare=False)  # the dictionary form, for Russian mentions


@dataclass(frozen=True)
class Names:
    """Canonical, deduplicated names of one document, in order of first mention."""

    people: tuple[str, ...]
    organizations: tuple[str, ...]
    places: tuple[str, ...]
    countries: tuple[str, ...] = ()  # the countries of the places, through the gazetteer
    merged: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # (mention, value shown) pairs that differ


# URLs, e-mail addresses, @handles and bare domains are skipped, never words.
_TOKEN = re.compile(
    r"(?P<skip>https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|int|info|io|co|uk|ru|de|fr)\b)"
    r"|(?P<word>[A-Z]{1,3}\$|(?:[A-Z]\.){2,}(?:-\w+)*|[A-Z]\.(?=\s+[A-Z])|\w+(?:(?:['’](?![sS]\b)|[-&])\w+)*)"
    r"|(?P<punct>\S)"
)
_ALIAS_KEYS = frozenset(PLACE_NAMES) | frozenset(gz.ORG_NAMES)
_SURNAME_END = re.compile(
    r"(?:ov|ova|ev|eva|enko|ski|sky|ska|vic|vich|ovic|escu|idis|poulos|oglu|ian|yan|ashvili|stein|berg|sson|sen)$"
)
_SENTENCE_END = frozenset('.!?:;"“”—–')
_OPENERS = frozenset("\"“‘'([-—–*•")
_ABBREV = gz.words("Mr Mrs Ms Dr Prof Rev Fr Sr Jr St Gen Col Lt Capt Sen Rep Gov Maj Sgt Adm Mt No vs v")
_SAY = gz.words("said says told added asked noted stated explained replied wrote")
_LOC_CUE = gz.words("in at near from outside to into across of")
_CONNECT_OF = frozenset(("of", "for"))
_ON_HEADS = gz.words("Agreement Conference Committee Commission Convention Council Panel Subcommittee Treaty")
# Contractions ("I'm", "We've") and plural acronyms ("MPs", "PCs") are ordinary words.
_NO_NAME = re.compile(r"\w+['’](?:m|re|ve|ll|d|t)|[A-Z]{2,}s")
_TITLE_WORDS = frozenset(fold(w) for w in gz.TITLES | gz.HONORIFICS)
_TITLE_ANY = _TITLE_WORDS | frozenset(fold(w) for w in gz.TITLE_MODIFIERS)
_BREAK = frozenset(fold(w) for w in gz.MONTHS | gz.WEEKDAYS) | gz.words(
    "the a an this that these those he she it we they i you his her its our their my"
)
_MISC_HEADS = gz.words(
    "Cup Open Championship Championships Games Olympics Prix Trophy Award Awards Prize War "
    "Slam Series Rally Tour Day Festival Act Treaty Accord Accords Declaration Convention Memorandum "
    "League Show Globe Globes Nations Marathon Olympiad Program Programme Scheme Initiative Plan Project"
)
# Words that never open an organisation name even when the run ends in an ORG head.
_FUNCTION = gz.words(
    "the a an this that these those his her its their our however but and or in on at for from "
    "by with as after before when while if meanwhile also both all some many under according "
    "other another last next"
)
_MISC_WORDS = gz.words("gmt oscars grammys emmys baftas")
# Nouns that name a work or a band before or after its title ("the film Vera Drake", "Harry Potter books").
_WORKS = gz.words("""film films movie movies band album albums single song songs show series sitcom novel
    novels book books play musical opera game games soundtrack documentary drama comedy thriller""")
_PLACE_CUE = gz.words("in near")
_VENUE_CUE = gz.words("in near at to from")
# Nouns for a firm: a name right after one is the firm ("brokers James Capel").
_FIRMS = gz.words("brokers stockbrokers broker stockbroker bank banks firm insurer retailer group company")
# Nouns for the people of an organisation: a name just before one of them is their employer.
_STAFF = gz.words("""analyst analysts economist economists strategist strategists trader traders dealer
    dealers executive executives official officials spokesman spokeswoman employee employees unit
    subsidiary shares stock stake board management""")
_CALENDAR = frozenset(fold(w) for w in gz.MONTHS | gz.WEEKDAYS)
_CODE = re.compile(r"[A-Za-z]{1,5}-\d{1,4}")
_ROMAN = re.compile(r"[IVX]{2,5}")
_INITIAL = re.compile(r"[A-Z]\.")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
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
_WRAP_MIN = 40  # shorter lines are headings, datelines or labels, never joined to the next...
_WRAP_SHORT = 20  # ...unless they stop mid-sentence: a first line whose dateline was cut off
_SPORT_WORDS = gz.words("""goal goals goalless striker midfielder defender goalkeeper innings wicket wickets
    batsman bowler bowled unbeaten half-time halftime penalty penalties semifinal semi-final quarter-final
    quarterfinal playoff play-off playoffs league division scored equaliser equalizer tries touchdown
    inning pitcher homer homers rbi seeded seed sets tiebreak tiebreaker championship coach club
    season match matches draw drew beat""")
_SPORT_MIN = 4
_WORD = re.compile(r"[a-z][a-z-]+")
_AT_PLACE = gz.words("in at near")
_HEADLINE_SMALL = gz.words("of the in on at for and to a an with by from as")


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
        heading = small and len(alpha) - small >= 4 and all(_is_cap(t) or t in _HEADLINE_SMALL for t in alpha)
        if heading and self.toks[-1] not in ".!?" and alpha[-1] not in _HEADLINE_SMALL:  # no heading ends in "to"
            return "title"
        return "normal"


def _blocks(text: str) -> list[_Line]:
    """The text's lines, with hard-wrapped prose lines ("... in the\nBahia cocoa zone") joined."""
    raw = text.split("\n")
    offsets = [0]
    for line in raw:
        offsets.append(offsets[-1] + len(line) + 1)
    lines = [_Line(line, offsets[i]) for i, line in enumerate(raw)]
    for prev, line in itertools.pairwise(lines):
        if prev.toks and prev.toks[-1][:1].islower() and line.mode() == "title" and prev.mode() == "normal":
            line._mode = "normal"  # "...members of the\nOrganization for Economic Cooperation": prose, no heading
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
    """True when a prose line runs on into an unindented next line: a long one, or one that stops mid-sentence."""
    if not nxt[:1].isalnum() or line.endswith(("  ", "\t")):
        return False
    return len(line) >= _WRAP_MIN or (len(line) >= _WRAP_SHORT and line.rstrip()[-1:] not in ".!?:;")


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


def _is_sports(text: str) -> bool:
    """A sports report: several of the words only sport uses."""
    return len(_SPORT_WORDS.intersection(_WORD.findall(text.lower()))) >= _SPORT_MIN


def _town(key: str) -> bool:
    """A town or county, no nation, region or US state."""
    rank = gz.places().get(key, 0)
    return rank > 0 and rank != gz.COUNTRY and key not in gz.nations()


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
        partners = False  # "Merrill Lynch, Pierce, Fenner and Smith": the commas and "and" of one name
        while j < n:
            if line.starts[j] - line.ends[j - 1] > 1:
                break  # a table column gap, not a space between words
            if caps[j]:
                run.append(j)
            elif toks[j] == "," and j + 1 < n and caps[j + 1] and (partners or _comma_joins(line, j)):
                partners = True
                run.append(j)  # "Goldman, Sachs and Co", "Kidder, Peabody and Co"
            elif toks[j] in "'’" and j + 2 < n and toks[j + 1] == "s" and caps[j + 2] and _possessive_joins(line, j):
                run += [j, j + 1]  # "Moody's Investors Service Inc"
                j += 1
            elif (
                j + 1 < n
                and caps[j + 1]
                and (
                    toks[j] in gz.PARTICLES
                    or toks[j] == "&"
                    or (toks[j] in _CONNECT_OF and toks[j - 1] in gz.OF_HEADS)
                    or (toks[j] == "on" and toks[j - 1] in _ON_HEADS)
                    or (toks[j] == "and" and (of_seen or _and_joins(line, j)))
                    or (toks[j] == "and" and partners and toks[j - 1] not in gz.ORG_SUFFIXES)
                    or (toks[j] == "." and toks[j - 1] in _ABBREV)
                )
            ):
                of_seen = of_seen or toks[j] in _CONNECT_OF or toks[j] == "on"
                run.append(j)
            else:
                break
            j += 1
        runs.append(run)
        i = j
    return runs


def _org_tail(line: _Line, start: int) -> list[str]:
    """The capitalised words from start on when they end in an organisation head or suffix, else []."""
    toks, caps = line.toks, line.caps
    k, tail = start, []
    while k < len(toks) and caps[k] and (k == start or line.starts[k] - line.ends[k - 1] <= 1):
        tail.append(toks[k])
        k += 1
        if k + 2 < len(toks) and toks[k] in "'’" and toks[k + 1] == "s" and caps[k + 2]:
            k += 2  # "Standard and Poor's Corp"
    if not tail or (tail[-1] not in gz.ORG_SUFFIXES and tail[-1] not in gz.ORG_HEADS):
        return []
    while len(tail) > 1 and tail[-2] in gz.ORG_SUFFIXES:
        tail.pop()  # "Co Inc"
    return tail


def _comma_joins(line: _Line, j: int) -> bool:
    """A comma inside a partnership's name: "Goldman, Sachs and Co", or surnames listed to an "and"
    ("Merrill Lynch, Pierce, Fenner and Smith") where none is a place, nationality or first name."""
    toks, caps, k, commas = line.toks, line.caps, j + 1, 1
    names = [toks[j - 1]]
    while k < len(toks):
        start = k
        while k < len(toks) and caps[k] and k - start < 3:
            names.append(toks[k])
            k += 1
        if k == start or k + 1 >= len(toks):
            return False
        if toks[k] in ("and", "&"):
            if toks[k + 1] in gz.ORG_SUFFIXES:
                return True
            return commas >= 2 and caps[k + 1] and not any(_place_or_person(w) for w in names + [toks[k + 1]])
        if toks[k] != ",":
            return False
        commas += 1
        k += 1
    return False


def _place_or_person(word: str) -> bool:
    """A word that names a place, a nationality or a first name."""
    key = fold(word)
    return key in gz.places() or key in gz.demonyms() or key in gz.first_names()


def _and_joins(line: _Line, j: int) -> bool:
    """ "Securities and Exchange Commission", "Merrill Lynch and Co": the words after "and" close an
    organisation name, with nothing but ordinary words before its head or suffix."""
    before = line.toks[j - 1]
    if before in gz.ORG_SUFFIXES or (before in gz.ORG_HEADS and not before.endswith("s")):
        return False  # "Standard Oil Co and BP North America Inc", "Finance Ministry and Central Bank"
    tail = _org_tail(line, j + 1)
    words = gz.english_words()
    return 0 < len(tail) <= 3 and all(fold(t) in words for t in tail[:-1])


def _possessive_joins(line: _Line, j: int) -> bool:
    """ "Moody's Investors Service", "McDonald's Corp": a possessive inside a company's name, not
    "Britain's Labour Party" (a place's) or "Reagan's Cabinet" (one head word)."""
    tail = _org_tail(line, j + 2)
    owner = fold(line.toks[j - 1])
    if not tail or owner in gz.places() or owner in gz.demonyms():
        return False
    return tail[-1] in gz.ORG_SUFFIXES or len(tail) > 1


def _strip_connectors(toks: list[str], run: list[int]) -> list[int]:
    """Drop connectors left dangling at either end of a run after splitting."""
    while run and not _is_cap(toks[run[0]]):
        run = run[1:]
    while run and not _is_cap(toks[run[-1]]):
        run = run[:-1]
    return run


class _Doc:
    """Per-document state: case evidence, typed names, and the pieces still to type."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _blocks(text)
        self.lower_seen: set[str] = set()
        self.cap_seen: Counter[str] = Counter()  # mid-sentence capitalised uses
        self.known: dict[str, str] = {}
        self.acronyms: dict[str, str] = {}
        self.teams = _sports_teams(text)
        self.sports = _is_sports(text)
        self.org_prefixes: dict[str, bool] = {}
        self.lone: set[str] = set()  # folded words that stand alone as a name somewhere

    def common_start(self, tok: str) -> bool:
        """True when a sentence-initial word is most likely an ordinary word."""
        key = fold(tok)
        if key in gz.common_words():
            return True
        if key in gz.english_words() and key in self.lower_seen and key not in self.cap_seen:
            return True  # "Mobile phones are...", with "mobile" in lower case further on
        if key in gz.places() or key in gz.demonyms():
            return False
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
            if key in _BREAK or key in gz.JUNK or key in gz.NOT_NAMES or _NO_NAME.fullmatch(toks[i]):
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
            if " ".join(fold(toks[i]) for i in part) in gz.ORG_NAMES:
                out.append((part, False))  # "General Agreement on Tariffs and Trade": no title in it
                continue
            cue = False
            while len(part) > 1 and fold(toks[part[0]]) in _TITLE_ANY and fold(toks[part[1]]) in gz.first_names():
                part, cue = part[1:], True  # "(Secretary of) State George Shultz"
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
                part = part[k + 1 :]
                while part and (fold(toks[part[0]]) in _TITLE_ANY or not _is_cap(toks[part[0]])):
                    part = part[1:]  # "Secretary of State George Shultz"
                part = _strip_connectors(toks, part)
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
    both = tok.isupper() and (fold(tok) in _ALIAS_KEYS or fold(prev) in _ALIAS_KEYS)
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
    if doc.sports and len(part) == 1 and _town(key) and doc.known.get(key) != "PER":
        # in a sports report, "leaving Blackburn" names the town's club, "in Blackburn" the town
        at = part[0] > 0 and fold(toks[part[0] - 1]) in _AT_PLACE
        return "LOC" if at or _dateline(line, part) else "ORG"
    if key in doc.known:
        return doc.known[key]
    after = toks[part[-1] + 1 :][:5]
    if part[0] == 0 and after[:1] == [","] and any(fold(t) in _CALENDAR or _ISO_DATE.fullmatch(t) for t in after):
        # a newswire dateline: "FRANKFURT, March 2 -", "BEVERLY HILLS, Calif., Feb 26 -", "ALKHAN-YURT, Russia 1996-08-22"
        return "LOC"
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
    if cue and n == 1 and rank != gz.COUNTRY:
        return "PER"  # "President Bush", though Bush is also a town
    if rank == gz.COUNTRY or (rank == gz.STRONG and not (n == 1 and first.isupper() and len(first) < 4)):
        return "LOC"  # but "ITU" is an acronym before it is a Brazilian city
    if first in gz.LOC_HEADS and n > 1 and fold(" ".join(words[2 - (toks[part[1]] in _CONNECT_OF) :])) in places:
        return "LOC"
    if n > 1 and (last in _MISC_HEADS or (first in _MISC_HEADS and len(part) > n)):
        return "MISC"  # "Academy Awards", "Champions League": events and prizes, whoever holds them
    if any(w in gz.ORG_HEADS for w in words):
        return "ORG"
    if last in gz.LOC_HEADS and n > 1:
        return "LOC"
    if cue:
        return "PER"
    via_suffix = doc.org_prefixes.get(key)
    if via_suffix is not None and (n > 1 or via_suffix):
        return "ORG"  # "Merrill Lynch" and "Texaco" where "Merrill Lynch and Co" and "Texaco Inc" are
    rare = fold(first) in gz.any_first_names() and fold(last) not in gz.demonyms()  # "Waqar Younis", not "Royal Dutch"
    if n > 1 and (fold(first) in gz.first_names() or rare or _INITIAL.fullmatch(first)):
        return "PER"  # "Nigel Lawson", "J. Crawley" (though Crawley is a town)
    if all(_ordinary(w) for w in words) and (n > 1 or key in doc.lower_seen or doc.cap_seen[key] < 2):
        # "Third World", "Export Enhancement Program": ordinary words in capitals; but "Google",
        # capitalised mid-sentence again and again and never written in lower case, is a name
        return None
    prev = toks[part[0] - 1] if part[0] > 0 else ""
    # "at Chelsea", "to Chelsea": a place that is also a first name is a club or person but "in" it
    cued = prev in (_PLACE_CUE if key in gz.first_names() else _LOC_CUE)
    if rank and (cued or part[0] == 0) and not (first.isupper() and len(first) < 4):
        return "LOC"
    if any(places.get(fold(w), 0) >= gz.STRONG for w in words[1:]):
        return "ORG"  # "Borussia Dortmund", "Ajax Amsterdam"
    nxt = toks[part[-1] + 1] if part[-1] + 1 < len(toks) else ""
    if n == 1:
        if key in doc.acronyms:
            return doc.acronyms[key]
        if ACRONYM.fullmatch(first):
            return "ORG"
        if key in gz.first_names():
            return None  # "Richard", "wife Nancy": a first name alone names no one in a facet
        if nxt in _SAY or nxt == "administration" or _SURNAME_END.search(first):
            return "PER"
        if (line.first[part[0]] and key not in doc.cap_seen) or len(first) == 1:
            return None  # an unknown capitalised word at a sentence start or as a label
        return "ORG"
    unknown = n < 4 and all(w[1:].islower() and w.isalpha() and not _ordinary(w) for w in words)
    if first.endswith(".") or (unknown and fold(last) in doc.lone):
        # "Lleyton Hewitt ... Hewitt said": unknown names whose last is used alone, as a surname is;
        # not "Export Enhancement Program", nor "Merrill Lynch" (a firm is named in full again)
        return "PER"
    return "ORG"


def _ordinary(word: str) -> bool:
    """An everyday English word or nationality, no name on its own."""
    key = fold(word)
    return key in gz.english_words() or key in gz.common_nouns() or key in gz.demonyms()


def _org_prefixes(pending: list[tuple[_Line, list[int], bool]]) -> dict[str, bool]:
    """Folded leading words of the document's organisation names ("merrill lynch" of "Merrill Lynch and
    Co Inc") -> True when that name ends in a corporate suffix, False for another organisation head."""
    prefixes: dict[str, bool] = {}
    for line, part, _ in pending:
        toks = [line.toks[i] for i in part]
        if len(toks) < 2 or (toks[-1] not in gz.ORG_SUFFIXES and toks[-1] not in gz.ORG_HEADS):
            continue
        suffix = toks[-1] in gz.ORG_SUFFIXES
        for k in range(1, len(toks)):
            if _is_cap(toks[k - 1]) and toks[k - 1] not in gz.ORG_SUFFIXES:
                key = " ".join(fold(t) for t in toks[:k])
                prefixes[key] = prefixes.get(key, False) or suffix
    return prefixes


def _presets(doc: _Doc, pending: list[tuple[_Line, list[int], bool]]) -> None:
    """Types one mention shows for all: a work ("the film Vera Drake", "Harry Potter books", "The
    Aviator" in mid-sentence) is no person; a name next to its staff ("a Merrill Lynch analyst",
    "an economist with Goldman Sachs", "brokers James Capel") is an organisation; a place named
    once after "in" ("in Twickenham") is a place throughout."""
    venues: dict[str, list[bool]] = {}
    for line, part, _ in pending:
        toks, a, b = line.toks, part[0], part[-1]
        before = [fold(t) for t in toks[max(a - 2, 0) : a]]
        after = fold(toks[b + 1]) if b + 1 < len(toks) else ""
        if after in ("'", "’") and b + 2 < len(toks) and toks[b + 2] == "s":  # "Franz Ferdinand's (debut) album"
            after = next((fold(t) for t in toks[b + 3 : b + 5] if fold(t) in _WORKS), after)
        key = " ".join(fold(toks[i]) for i in part)
        titled = a > 0 and toks[a - 1] == "The" and line.first and not line.first[a - 1]
        if before[-1:] and before[-1] in _WORKS or (before[-1:] == ["the"] and before[:1] and before[0] in _WORKS):
            doc.known[key] = "MISC"
        elif (after in _WORKS and len(part) > 1) or (titled and len(part) == 1 and toks[a] not in gz.ORG_HEADS):
            doc.known.setdefault(key, "MISC")
        elif len(part) > 1 and (after in _STAFF or before[-1:] and before[-1] in _FIRMS or _staff_of(toks, a, key)):
            doc.known.setdefault(key, "ORG")
        elif len(part) == 1 and before[-1:] and before[-1] in _PLACE_CUE and key in gz.places():
            doc.known.setdefault(key, "LOC")
        elif after.capitalize() in gz.LOC_HEADS and after not in ("republic", "kingdom"):
            doc.known.setdefault(key, "LOC")  # "Stansted airport", "Yangtze river", "Sichuan province"
        if len(part) == 1 and toks[a].istitle() and not _ordinary(toks[a]) and toks[a] not in gz.LOCATORS:
            venues.setdefault(key, []).append(bool(before[-1:]) and before[-1] in _VENUE_CUE)
    for key, cued in venues.items():
        if all(cued) and key not in gz.first_names() and key not in gz.KNOWN_ORGS:
            doc.known.setdefault(key, "LOC")  # "at Twickenham", "to Anfield", and never otherwise: a place


def _staff_of(toks: list[str], a: int, key: str) -> bool:
    """ "analyst with", "economist at", "Vishnu Sharp of": the next name (no place) employs them."""
    if a < 2 or toks[a - 1] not in ("with", "at", "for", "of") or key in gz.places():
        return False
    return fold(toks[a - 2]) in _STAFF or (toks[a - 1] == "of" and _is_cap(toks[a - 2]))


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
    if word in gz.ORG_SUFFIXES or word in _MISC_HEADS or _ROMAN.fullmatch(word) or _PARTY_STATE.fullmatch(word):
        return ""  # "Inc", "Cup", "III", "D-Conn"
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
            if key in places and _dateline(line, list(span)) and (places[key] >= gz.STRONG or size > 1):
                typ = "LOC"  # "NEW YORK 1996-08-22": a dateline names a place, whatever its club
            elif typ is None and key in doc.teams and not _dateline(line, list(span)):
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


def find_entities(text: str) -> list[Entity]:
    """Every name mention in text, in order."""
    doc = _Doc(text)
    modes = [line.mode() for line in doc.lines]
    for line, mode in zip(doc.lines, modes):
        if mode != "normal":
            continue
        line.first = _sentence_starts(line)
        for tok, word, start in zip(line.toks, line.words, line.first):
            if word and not start:
                if _is_cap(tok):
                    doc.cap_seen[fold(tok)] += 1
                else:
                    doc.lower_seen.add(fold(tok))
    pending = [
        (line, part, cue)
        for line, mode in zip(doc.lines, modes)
        if mode == "normal"
        for part, cue in _pieces(doc, line)
    ]
    doc.org_prefixes = _org_prefixes(pending)
    doc.lone = {fold(line.toks[part[0]]) for line, part, _ in pending if len(part) == 1}
    _presets(doc, pending)
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
    out.extend(Entity(m.start, m.end, m.text, m.type, m.lemma) for m in find_russian_mentions(text))
    out.sort(key=lambda e: e.start)
    return out


def extract_names(text: str) -> Names:
    """Canonical people, organisations, places and countries of a document, by first mention."""
    found = find_entities(text)
    entities = [e for e in found if e.type != "MISC"]
    canon = canonical_values(entities, text)
    groups: dict[str, dict[str, None]] = {"PER": {}, "ORG": {}, "LOC": {}}
    merged: dict[tuple[str, str], None] = {}
    for e in entities:
        key = fold(mention_text(e))
        if key not in canon:
            continue  # a ticker with no company name before it
        name, typ = canon[key]
        if not shown(name):
            continue
        if fold(name) != key or e.lemma:
            written = " ".join(e.text.split())
            if written != name:
                merged[written, name] = None
        if not any(name in g for g in groups.values()):
            groups[typ][name] = None
    places = tuple(groups["LOC"])
    adjectives = [fold(mention_text(e)) for e in found if e.type == "MISC"]
    countries = [gz.country_of(p) for p in places] + [gz.demonym_countries().get(a) for a in adjectives]
    countries += [_org_country(org) for org in groups["ORG"]]
    return Names(
        tuple(groups["PER"]), tuple(groups["ORG"]), places, tuple(dict.fromkeys(filter(None, countries))), tuple(merged)
    )


def _org_country(name: str) -> str | None:
    """The country an organisation's name places it in: "Bank of Japan", "U.S. Treasury", "American Motors"."""
    words = name.split()
    for size in (2, 1):
        for k in range(len(words) - size + 1):
            key = fold(" ".join(words[k : k + size]))
            country = gz.demonym_countries().get(key) or (
                gz.country_of(key) if gz.places().get(key) == gz.COUNTRY else None
            )
            if country:
                return country
    return None
