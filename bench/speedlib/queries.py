"""The query set: seeded results pages drawn from a collection's own titles and facet values."""

from __future__ import annotations

import itertools
import random
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

from whoosh.lang.stopwords import stoplists

from speedlib.records import FACETS

PAGE_SIZE = 10  # a results page: its hits, and values shown per facet
FACET_SIZE = 10
FILTER_FACETS = ("place", "person", "org", "year")  # what filtered queries pick from
# Share of each kind in the query set, in this order.
KINDS = (("words", 0.55), ("phrase", 0.15), ("filter1", 0.15), ("filter2", 0.10), ("browse", 0.05))
STOP_WORDS = frozenset(stoplists["en"]) | {"near"}
TITLE_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Query:
    """One results page to ask for: words (AND-ed, or one quoted phrase) and facet filters."""

    kind: str
    words: tuple[str, ...] = ()
    phrase: bool = False
    filters: tuple[tuple[str, str], ...] = ()  # (our facet name, value), distinct facets

    @property
    def text(self) -> str:
        """The query as a user types it."""
        joined = " ".join(self.words)
        return f'"{joined}"' if self.phrase else joined

    def filter_dict(self) -> dict[str, tuple[str, ...]]:
        return {name: (value,) for name, value in self.filters}

    def url_path(self) -> str:
        return "/?" + urllib.parse.urlencode([("q", self.text), *self.filters])


def title_words(title: str) -> list[str | None]:
    """The title's words, lower-cased, None for a word a query would not use (stop word, < 3 letters)."""
    words = [w.lower() for w in TITLE_WORD.findall(title)]
    return [w if len(w) >= 3 and w not in STOP_WORDS else None for w in words]


def facet_choices(record: dict) -> list[tuple[str, str]]:
    """(facet, value) pairs a filter can take from this record."""
    choices = []
    for name in FILTER_FACETS:
        values = record[FACETS[name]]
        choices.extend((name, value) for value in (values if isinstance(values, list) else [values]) if value)
    return choices


def make_query(kind: str, records: Sequence[dict], rng: random.Random) -> Query:
    """One query of a kind, drawn from random records until one fits (bounded)."""
    for _ in range(1000):
        record = records[rng.randrange(len(records))]
        raw = title_words(record["title"])
        usable = [w for w in raw if w]
        if kind == "browse":
            choices = facet_choices(record)
            return Query(kind, filters=(rng.choice(choices),) if choices and rng.random() < 0.5 else ())
        if kind == "phrase":
            pairs = [(a, b) for a, b in itertools.pairwise(raw) if a and b]
            if pairs:
                return Query(kind, rng.choice(pairs), phrase=True)
            continue
        if not usable:
            continue
        if kind == "words":
            count = min(len(usable), rng.choice((1, 2)))
            return Query(kind, tuple(rng.sample(usable, count)))
        wanted = 1 if kind == "filter1" else 2
        choices = facet_choices(record)
        by_facet = {}
        for name, value in choices:
            by_facet.setdefault(name, []).append(value)
        if len(by_facet) < wanted:
            continue
        names = rng.sample(sorted(by_facet), wanted)
        filters = tuple((name, rng.choice(by_facet[name])) for name in sorted(names))
        return Query(kind, (rng.choice(usable),), filters=filters)
    return Query("browse")  # a corpus without usable titles: the browse page still measures something


def make_queries(records: Sequence[dict], count: int, seed: int) -> list[Query]:
    """`count` queries in a seeded order, kinds in the shares of KINDS (at least one of each)."""
    rng = random.Random(seed)
    sizes = {kind: max(1, round(count * share)) for kind, share in KINDS}
    sizes["words"] = max(0, count - sum(size for kind, size in sizes.items() if kind != "words"))
    kinds = [kind for kind, size in sizes.items() for _ in range(size)][:count]
    rng.shuffle(kinds)
    return [make_query(kind, records, rng) for kind in kinds]


@dataclass(frozen=True)
class NameLookup:
    """An analyst's look at one name: its entity page, and the facet's search box given a prefix of
    the name's last word, over a results page of the query set."""

    facet: str
    value: str
    prefix: str
    query: Query


NAME_FACETS = ("person", "org", "place")  # the facets with entity pages


def make_name_lookups(records: Sequence[dict], queries: Sequence[Query], seed: int) -> list[NameLookup]:
    """One lookup per query: a name drawn from a random record, a 1-4 letter prefix of its last word."""
    rng = random.Random(seed)
    names = [(f, v) for record in records for f in NAME_FACETS for v in record[FACETS[f]] if v.split()]
    if not names:
        return []
    lookups = []
    for query in queries:
        facet, value = rng.choice(names)
        lookups.append(NameLookup(facet, value, value.split()[-1][: rng.randint(1, 4)], query))
    return lookups


def keystrokes(queries: Sequence[Query]) -> list[tuple[str, dict]]:
    """(text so far, filters) after each keystroke of each query of words (not phrases, not browsing)."""
    return [
        (query.text[:end], query.filter_dict())
        for query in queries
        if query.words and not query.phrase
        for end in range(1, len(query.text) + 1)
    ]
