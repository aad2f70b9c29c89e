"""Rule-based named-entity extraction: capitalised runs, trimmed and typed by word lists."""

from __future__ import annotations

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
    r"|(?P<word>(?:[A-Z]\.){2,}(?:-\w+)*|[A-Z]\.(?=\s+[A-Z])|\w+(?:(?:['’](?![sS]\b)|[-&])\w+)*)"
    r"|(?P<punct>\S)"
)
_CAP = re.compile(r"[A-Z\u00c0-\u00de]")  # Latin capitals only: Cyrillic runs are skipped
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


def _is_cap(tok: str) -> bool:
    """True for a word starting with a Latin capital letter."""
    return _CAP.match(tok) is not None


class _Line:
    """A line's tokens as parallel lists, for fast index-based scanning."""

    __slots__ = ("caps", "ends", "first", "starts", "toks", "words")

    def __init__(self, line: str, offset: int) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.toks: list[str] = []
        self.caps: list[bool] = []
        self.words: list[bool] = []
        self.first: list[bool] = []  # sentence-initial flags, set for body lines
        for m in _TOKEN.finditer(line):
            tok = m.group()
            self.starts.append(offset + m.start())
            self.ends.append(offset + m.end())
            self.toks.append(tok)
            is_word = m.lastgroup == "word"
            self.words.append(is_word)
            self.caps.append(is_word and _is_cap(tok))

    def mode(self) -> str:
        """'caps' for all-caps lines (headlines, datelines), 'title' for title-case headings."""
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
        self.lines: list[_Line] = []
        offset = 0
        for raw in text.split("\n"):
            self.lines.append(_Line(raw, offset))
            offset += len(raw) + 1
        self.lower_seen: set[str] = set()
        self.cap_seen: set[str] = set()
        self.known: dict[str, str] = {}
        self.acronyms: dict[str, str] = {}

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
            if key in _BREAK or key in gz.JUNK:
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
            if not cue:
                cue = _title_around(line, part)
            out.append((part, cue))
    return out


def _acronym_break(prev: str, tok: str) -> bool:
    """Split "WSIS Janis Mazeiks" and "WSIS UN": an acronym ends a run before a name or acronym."""
    if len(prev) < 2 or not prev.isupper() or tok in gz.ORG_SUFFIXES:
        return False
    both = tok.isupper() and (fold(tok) in _ALIASES or fold(prev) in _ALIASES)
    return both or fold(tok) in gz.first_names()


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
    if all(fold(w) in gz.demonyms() for w in words) or key in _MISC_WORDS:
        return "MISC"
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
            if typ is None and size == 1 and key in gz.demonyms():
                typ = "MISC"
            if typ is None and key in places and (places[key] >= gz.STRONG or i == 0):
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


def _canonical(entities: list[Entity], text: str) -> dict[str, tuple[str, str]]:
    """Map each folded mention to (canonical form, type), merging aliases within the document."""
    canon: dict[str, tuple[str, str]] = {}
    full_people: dict[str, str] = {}
    for i, e in enumerate(entities):
        key = fold(e.text)
        if key in _ALIASES:
            name = _ALIASES[key]
            canon[key] = (
                name,
                "LOC" if "States" in name or "Kingdom" in name else "ORG",
            )
            continue
        parts = e.text.split()
        if e.type == "PER" and len(parts) > 1:
            full_people.setdefault(fold(parts[-1]), e.text)
        # "Long Name (ACR)": the acronym is an alias of the long name.
        nxt = entities[i + 1] if i + 1 < len(entities) else None
        if (
            nxt and len(parts) > 1 and text[e.end : nxt.start].strip() == "(" and _ACRONYM.fullmatch(nxt.text)
        ) and nxt.text[0] == e.text[0]:
            canon.setdefault(fold(nxt.text), (e.text, e.type))
        old = canon.get(key)
        if old is None or (old[0].isupper() and not e.text.isupper()):
            canon[key] = (e.text, e.type if old is None else old[1])
    for key, (name, typ) in list(canon.items()):
        if typ == "PER" and " " not in name and key in full_people:
            canon[key] = (full_people[key], "PER")
    return canon


def extract_names(text: str) -> Names:
    """Canonical people, organisations and places of a document, deduplicated, by first mention."""
    entities = [e for e in find_entities(text) if e.type != "MISC"]
    canon = _canonical(entities, text)
    groups: dict[str, dict[str, None]] = {"PER": {}, "ORG": {}, "LOC": {}}
    for e in entities:
        name, typ = canon[fold(e.text)]
        if fold(name) in gz.JUNK or fold(name) in gz.common_words():
            continue
        if not any(name in g for g in groups.values()):
            groups[typ][name] = None
    return Names(tuple(groups["PER"]), tuple(groups["ORG"]), tuple(groups["LOC"]))
