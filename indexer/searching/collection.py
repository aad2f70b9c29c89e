"""One value per entity across the whole index, from what all the documents' names say together.

A document alone cannot tell that its lone "Reagan" is Ronald Reagan, that "Moody" is cut from
"Moody's Investors Service", or that "Morgan Stanley" named once without its staff is a firm.
The collection can: a surname that ends the full names of one person only is that person; a
name cut before its possessive belongs to the one organisation that continues it; and a name
typed both ways is what most of the documents naming it say it is.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from ..documents.gazetteer import fold

NAME_FACETS = ("person", "org")
UNAMBIGUOUS = 0.9  # share of the candidates' documents the most common one must hold...
FULL_NAME_DOCS = 2  # ...candidates named in this many documents: one "Michael Phelps" is no "Phelps"
MAJORITY = 1.5  # a name typed both ways takes the type of this many times more documents...
MAJORITY_DOCS = 3  # ...and of at least this many

_PUNCT = re.compile(r"[\W_]+")

Values = Sequence[tuple[str, ...]]  # each document's values of one facet
Aliases = dict[str, dict[str, tuple[str, str]]]  # facet -> {value: (facet, value) it stands for}


def variant_key(value: str) -> str:
    """A value without case, accents or punctuation: two values with one key look the same."""
    return _PUNCT.sub("", fold(value))


def collection_aliases(facets: Mapping[str, Values]) -> dict[str, dict[str, tuple[str, str]]]:
    """facet -> {value: (facet, value) it stands for}, over the person and org facets' values."""
    written = {f: Counter(v for values in facets.get(f, ()) for v in values) for f in NAME_FACETS}
    usual = {f: _usual_forms(written[f]) for f in NAME_FACETS}
    counts = {f: Counter() for f in NAME_FACETS}
    for f in NAME_FACETS:
        for value, n in written[f].items():
            counts[f][usual[f].get(value, value)] += n
    aliases = _name_aliases(counts)
    for f in NAME_FACETS:  # "Citicorp" for "CitiCorp", then whatever "Citicorp" stands for
        for value, form in usual[f].items():
            aliases[f].setdefault(value, aliases[f].get(form, (f, form)))
    return aliases


def _usual_forms(counts: Counter) -> dict[str, str]:
    """Each value that differs from another only in case or punctuation ("McDonnell-Douglas") -> the
    one most documents write ("McDonnell Douglas")."""
    groups: dict[str, list[str]] = defaultdict(list)
    for value in counts:
        groups[variant_key(value)].append(value)
    forms = {}
    for values in groups.values():
        if len(values) > 1:
            usual = max(values, key=lambda v: (counts[v], v))
            forms.update({v: usual for v in values if v != usual})
    return forms


def _name_aliases(counts: dict[str, Counter]) -> dict[str, dict[str, tuple[str, str]]]:
    """Aliases by surname, possessive and the majority's type, over values each written one way."""
    aliases: dict[str, dict[str, tuple[str, str]]] = {f: {} for f in NAME_FACETS}
    for value in counts["person"].keys() & counts["org"].keys():
        person, org = counts["person"][value], counts["org"][value]
        if org >= MAJORITY * person and org >= MAJORITY_DOCS:
            aliases["person"][value] = ("org", value)  # "Morgan Stanley"
        elif person >= MAJORITY * org and person >= MAJORITY_DOCS:
            aliases["org"][value] = ("person", value)
    surnames = _most_common_by(counts["person"], lambda words: words[-1])
    possessives = _most_common_by(counts["org"], lambda words: words[0][:-2] if words[0].endswith("'s") else None)
    org_firsts = {fold(v).split()[0] for v in counts["org"] if " " in v}
    for facet, by_word, to in (
        ("person", surnames, "person"),
        ("org", possessives, "org"),
        ("org", surnames, "person"),
    ):
        for value, n in counts[facet].items():
            key = fold(value)
            full = by_word.get(key) if " " not in value else None
            if not full or value in aliases[facet] or (facet == "org" and full[1] < n):
                continue
            if facet != to and key in org_firsts:
                continue  # "Ford" of "Ford Motor" stays a firm, whoever Gerald Ford is
            # "Reagan" -> "Ronald Reagan"; "Moody" -> "Moody's Investors Service", named so more often;
            # "Lawson", typed a firm for want of a cue, -> "Nigel Lawson", named more often
            aliases[facet][value] = (to, full[0])
    return aliases


def _most_common_by(counts: Counter, word_of) -> dict[str, tuple[str, int]]:
    """Folded word -> (the most common name of several words it is taken from, that name's
    documents), when that name holds UNAMBIGUOUS of the documents of all such names named in
    FULL_NAME_DOCS documents or more."""
    by_word: dict[str, Counter] = defaultdict(Counter)
    for value, n in counts.items():
        words = fold(value).split()
        word = word_of(words) if len(words) > 1 else None
        if word:
            by_word[word][value] = n
    out = {}
    for word, names in by_word.items():
        named = Counter({name: n for name, n in names.items() if n >= FULL_NAME_DOCS})  # one document is no evidence
        if named:
            (name, n), total = named.most_common(1)[0], sum(named.values())
            if n >= UNAMBIGUOUS * total:
                out[word] = (name, n)
    return out


def apply_aliases(facets: Mapping[str, Values], aliases) -> dict[str, list[tuple[str, ...]]]:
    """Each document's person and org values with the collection's aliases applied, in order, once each."""
    merged: dict[str, list[list[str]]] = {f: [[] for _ in facets.get(f, ())] for f in NAME_FACETS}
    for facet in NAME_FACETS:
        for doc, values in enumerate(facets.get(facet, ())):
            for value in values:
                target, shown = resolve(aliases, facet, value)
                if shown not in merged[target][doc]:
                    merged[target][doc].append(shown)
    return {f: [tuple(values) for values in merged[f]] for f in NAME_FACETS}


def resolve(aliases, facet: str, value: str) -> tuple[str, str]:
    """The (facet, value) a value of a facet stands for, through at most two aliases
    ("Reagan" as an org -> "Reagan" as a person -> "Ronald Reagan")."""
    target, shown = aliases.get(facet, {}).get(value, (facet, value))
    return aliases.get(target, {}).get(shown, (target, shown))


def renamed_values(aliases) -> dict[str, dict[str, str]]:
    """facet -> {value: the value of the same facet it is shown as}, leaving out retyped values."""
    out: dict[str, dict[str, str]] = {}
    for facet, found in aliases.items():
        for value in found:
            target, shown = resolve(aliases, facet, value)
            if target == facet:
                out.setdefault(facet, {})[value] = shown
    return out


def merge_across_collection(facets: Mapping[str, Values]) -> dict[str, list[tuple[str, ...]]]:
    """Each document's person and org values, merged by the collection's aliases."""
    return apply_aliases(facets, collection_aliases(facets))


def with_merged_names(doc, merges: Aliases):
    """A stored document (any dataclass with people and organizations) with its names shown as
    the facets show them, so that every name a hit or page links to is found."""
    names = {"person": doc.people, "org": doc.organizations}
    if not any(value in merges.get(facet, ()) for facet, values in names.items() for value in values):
        return doc  # most documents: read as stored
    merged = apply_aliases({facet: [values] for facet, values in names.items()}, merges)
    return dataclasses.replace(doc, people=merged["person"][0], organizations=merged["org"][0])
