"""Mentions -> the one value a facet shows for each entity of a document.

Within a document: an acronym defined in brackets or a ticker joins the name before it, a lone
surname joins the full name. Everywhere: well-known organisations take their table name, companies
lose their legal suffix, shouted names and case typos are written the usual way, and a middle
initial takes its full stop, so that every document shows the same value for the same entity.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Protocol

from . import gazetteer as gz
from .gazetteer import fold

ACRONYM = re.compile(r"(?:[A-Z]\.){2,}|[A-Z][A-Z&]{1,5}")
# Legal forms that end a company's name ("Texaco Inc", "Deutsche Bank AG", "Ford Motor Company").
_LEGAL_FORMS = frozenset(fold(w.rstrip(".")) for w in gz.ORG_SUFFIXES) | gz.words(
    "corporation incorporated limited company oyj oy ag sa nv bv gmbh spa ab"
)
_CASE_TYPO = re.compile(r"[A-Z]{2}[a-z]{2,}")  # "COmmission", "OHio": a held shift key
_INITIAL = re.compile(r"[A-Z]")
# Fixed place aliases: the value shown for each.
PLACE_NAMES = {
    "us": "United States",
    "u.s.": "United States",
    "usa": "United States",
    "u.s.a.": "United States",
    "america": "United States",
    "uk": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "u.k.": "United Kingdom",
    "hongkong": "Hong Kong",
}


class Mention(Protocol):
    start: int
    end: int
    text: str
    type: str
    lemma: str | None


def mention_text(e: Mention) -> str:
    """A mention on one line (wrapped names, "Mario\\nBrodersohn", keep single spaces), as its lemma if
    it has one ("Путина" -> "Путин")."""
    return " ".join((e.lemma or e.text).split())


def is_ticker(e: Mention, text: str) -> bool:
    """A stock symbol in angle brackets, as newswires write it: "United Technologies <UTX>"."""
    return text[e.start - 1 : e.start] == "<" and text[e.end : e.end + 1] == ">" and e.text.isupper()


def company_name(name: str) -> str:
    """A company's name without its legal form: "Merrill Lynch and Co Inc" -> "Merrill Lynch"."""
    words = name.split()
    while words and (fold(words[-1].strip(".,")) in _LEGAL_FORMS or words[-1] in ("and", "&", ",")):
        words.pop()
    if len(words) == 1 and (words[0] in gz.ORG_HEADS or fold(words[0]) in gz.english_words()):
        return " ".join(name.split()[:2])  # "Union Corp", "Total SA": the word alone names nothing
    return " ".join(words).rstrip(",")


def written_usually(name: str, typ: str) -> str:
    """A shouted name ("NEW YORK") in title case, case typos undone, middle initials with a stop."""
    words = name.split()
    shouted = name.isupper() and (typ in ("LOC", "PER") or len(words) > 1 and all(len(w) > 3 for w in words))
    if shouted and (len(words) > 1 or (len(name) > 3 and "." not in name)):  # not "USA", "U.K."
        words = [w.lower() if fold(w) in gz.PARTICLES and k else w.capitalize() for k, w in enumerate(words)]
    words = [w[0] + w[1:].lower() if _CASE_TYPO.fullmatch(w) else w for w in words]
    if typ == "PER":
        words = [w + "." if _INITIAL.fullmatch(w) and 0 < k < len(words) - 1 else w for k, w in enumerate(words)]
    return " ".join(words)


def value_of(name: str, typ: str) -> tuple[str, str]:
    """The value shown for a name of a type, and its type (a table may retype it)."""
    key = fold(name)
    if key in PLACE_NAMES:
        return PLACE_NAMES[key], "LOC"
    if key in gz.ORG_NAMES:
        return gz.ORG_NAMES[key], "ORG"
    if typ == "LOC" and key in gz.STATE_ABBREVIATIONS:
        return gz.STATE_ABBREVIATIONS[key], "LOC"  # "Conn" -> Connecticut
    name = written_usually(name, typ)
    if typ == "ORG":
        name = company_name(name)
        if name.isascii():
            name = name.replace(",", "")  # "Goldman, Sachs and Co" -> "Goldman Sachs"
        name = gz.ORG_NAMES.get(fold(name), name)  # "Reuters Holdings Plc" -> Reuters
    return name, typ


def shown(value: str) -> bool:
    """False for a value no facet should show: junk, an everyday word, one or two unknown letters."""
    key = fold(value)
    if not key or key in gz.JUNK or key in gz.common_words():
        return False
    letters = sum(c.isalnum() for c in value)
    return letters > 2 or key in gz.KNOWN_ORGS or key in gz.places()


def _defines(e: Mention, nxt: Mention, text: str, words: int) -> bool:
    """True when nxt is an acronym in brackets after a long name, or a ticker after a company."""
    between = text[e.end : nxt.start].strip()
    if between == "<":
        return is_ticker(nxt, text)
    return words > 1 and between == "(" and ACRONYM.fullmatch(nxt.text) is not None and nxt.text[0] == e.text[0]


def canonical_values(entities: list[Mention], text: str) -> dict[str, tuple[str, str]]:
    """Map each folded mention to (value shown, type), merging aliases within the document."""
    canon: dict[str, tuple[str, str]] = {}
    full_people: dict[str, str] = {}
    known: dict[str, str] = {}  # long names defined with an acronym of the table -> that acronym
    votes = Counter((fold(mention_text(e)), e.type) for e in entities)
    for i, e in enumerate(entities):
        if is_ticker(e, text):
            continue  # named by the company before it, or not at all
        mention = mention_text(e)
        key = fold(mention)
        parts = mention.split()
        if e.type == "PER" and len(parts) > 1:
            full_people.setdefault(fold(parts[-1]), mention)
        # "Long Name (ACR)": the acronym is an alias of the long name; so is a ticker "<ACR>".
        nxt = entities[i + 1] if i + 1 < len(entities) else None
        if nxt and _defines(e, nxt, text, len(parts)):
            canon.setdefault(fold(nxt.text), (mention, e.type))
            if fold(nxt.text) in gz.ORG_NAMES:
                known[key] = nxt.text  # "Organisation of Economic Cooperation ... (OECD)": the table's name
        old = canon.get(key)
        if old is None or (old[0].isupper() and not mention.isupper()):
            # the type most of the document's mentions of the name have, the first one's on a tie
            typ = e.type if old is None else old[1]
            canon[key] = (mention, max(("PER", "ORG", "LOC"), key=lambda t: (votes[key, t], t == typ)))
    companies = _companies(canon)
    for key, (name, typ) in canon.items():
        if key in known or fold(name) in known:
            canon[key] = value_of(known.get(key) or known[fold(name)], "ORG")
        elif typ != "LOC" and " " not in name and key in full_people:
            canon[key] = value_of(full_people[key], "PER")  # "Reagan" -> "Ronald Reagan"
        elif typ == "ORG" and key in companies and key not in gz.KNOWN_ORGS and not name.isupper():
            canon[key] = value_of(companies[key], "ORG")  # "Moody" -> "Moody's Investors Service"
        else:
            canon[key] = value_of(name, typ)
    return canon


def _companies(canon: dict[str, tuple[str, str]]) -> dict[str, str]:
    """First word of each company named with its legal form or a head ("Moody's Investors Service") ->
    that name, when only one company of the document starts with that word."""
    firsts: dict[str, list[str]] = {}
    for key, (name, typ) in canon.items():
        words = key.replace("'s ", " ").split()
        if (
            typ == "ORG"
            and len(words) > 1
            and (words[-1].strip(".,") in _LEGAL_FORMS or name.split()[-1] in gz.ORG_HEADS)
        ):
            firsts.setdefault(words[0], []).append(name)
    return {first: names[0] for first, names in firsts.items() if len(names) == 1}
