"""The parts of a query that stand for many terms (prefix*, wild?card*, fuzzy~, [a TO b]) -> the few
indexed terms they are searched as, and what the user is told about it.

Whoosh ORs together every term such a part matches, in each of the eight fields it searches:
`s*` is some 5,000 terms whose postings cover every document, `*a*` walks every term of every
field first. Here each part becomes an Or of its most frequent matching terms (frequent terms
are what a short pattern most likely means, and they find most of its documents), found in the
generation's Vocabulary, and the whole query shares one budget of terms, so a query of many
patterns gets fewer terms for each. Fuzzy parts get at most MAX_FUZZY_EDITS edits and keep
their first letter.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from whoosh import query as wq

from .vocabulary import VOCABULARY_FIELD, FieldTerms, Vocabulary

MAX_TERMS_PER_PART = 20  # in each field
MAX_QUERY_TERMS = 160  # over the whole query, all parts and fields
MAX_FUZZY_EDITS = 2
FUZZY_PREFIX = 1  # misspellings rarely touch the first letter, and it cuts the candidates twenty-fold
SHOWN_TERMS = 6
MULTI_TERM = (wq.Prefix, wq.Wildcard, wq.FuzzyTerm, wq.TermRange)


@dataclass
class Expansion:
    """What one part of the query (as typed) matched and what was kept, over its fields."""

    shown: str
    matched: int = 0
    kept: tuple[str, ...] = ()


def expand_patterns(query: wq.Query, vocabulary: Vocabulary) -> tuple[wq.Query, list[str]]:
    """The query with every multi-term part replaced by an Or of its most frequent terms; and a note
    for each part that stood for more terms than were searched."""
    parts = [leaf for leaf in query.leaves() if isinstance(leaf, MULTI_TERM) or is_field_wildcard(leaf)]
    if not parts:
        return query, []
    share = max(1, min(MAX_TERMS_PER_PART, MAX_QUERY_TERMS // len(parts)))
    expansions: dict[str, Expansion] = {}
    notes: list[str] = []

    def replace(node: wq.Query) -> wq.Query:
        if is_field_wildcard(node):
            node = wq.Prefix(node.fieldname, "", boost=node.boost)  # `title:*`: any word of the field
        if not isinstance(node, MULTI_TERM):
            return node
        terms = vocabulary.field(node.fieldname)
        found = matching_terms(node, vocabulary)
        kept = most_frequent(found, terms, share)
        key = (type(node), node.startchar, node.endchar) if node.startchar is not None else shown(node)
        expansion = expansions.setdefault(key, Expansion(shown(node)))
        expansion.shown = max(expansion.shown, shown(node), key=len)  # a fuzzy word as typed, not its stem
        if len(found) > expansion.matched:
            expansion.matched, expansion.kept = len(found), tuple(terms.words[at] for at in kept)
        options = [wq.Term(node.fieldname, terms.words[at], boost=node.boost) for at in kept]
        return wq.Or(options) if len(options) > 1 else options[0] if options else wq.NullQuery

    expanded = query.accept(replace).normalize()
    for expansion in expansions.values():
        if expansion.matched > len(expansion.kept):
            notes.append(cut_note(expansion))
    return expanded, notes


def is_field_wildcard(node: wq.Query) -> bool:
    """`title:*`, which whoosh reads as every document holding any term of the field."""
    return isinstance(node, wq.Every) and bool(node.fieldname)


def matching_terms(node: wq.Query, vocabulary: Vocabulary) -> list[int] | range:
    """Positions in the field's terms of those the part matches."""
    terms = vocabulary.field(node.fieldname)
    if isinstance(node, wq.Prefix):
        return terms.prefixed(node.text)
    if isinstance(node, wq.Wildcard):
        return terms.matching(glob_pattern(node.text))
    if isinstance(node, wq.FuzzyTerm):
        edits = min(int(node.maxdist), MAX_FUZZY_EDITS)
        return vocabulary.within(node.fieldname, node.text, edits, max(int(node.prefixlength), FUZZY_PREFIX))
    return terms.between(node.start, node.end, node.startexcl, node.endexcl)


def most_frequent(found, terms: FieldTerms, count: int) -> list[int]:
    """The `count` positions whose terms most documents hold, most first (ties in term order)."""
    return heapq.nlargest(count, found, key=lambda at: (terms.frequencies[at], -at))


def glob_pattern(text: str) -> re.Pattern:
    """A glob (`*` any letters, `?` one) as a pattern matching whole lines, in linear time.

    Each `*` takes the first place where the next literal piece fits (an atomic group: no
    backtracking), which finds a match whenever there is one: `*a*a*a*a*b` costs one pass.
    """
    pieces = [re.escape(piece).replace(r"\?", "[^\n]") for piece in text.split("*")]
    if len(pieces) == 1:
        return re.compile(f"^{pieces[0]}$", re.MULTILINE)
    middle = "".join(f"(?>[^\n]*?{piece})" for piece in pieces[1:-1] if piece)
    return re.compile(f"^{pieces[0]}{middle}[^\n]*{pieces[-1]}$", re.MULTILINE)


def shown(node: wq.Query) -> str:
    """The part as the user would write it (for a fuzzy part, the edits actually allowed)."""
    if isinstance(node, wq.Prefix):
        return f"{node.text}*"
    if isinstance(node, wq.FuzzyTerm):
        return f"{node.text}~{min(int(node.maxdist), MAX_FUZZY_EDITS)}"
    if isinstance(node, wq.TermRange):
        return f"[{node.start or ''} TO {node.end or ''}]"
    return node.text


def cut_note(expansion: Expansion) -> str:
    listed = ", ".join(expansion.kept[:SHOWN_TERMS]) + (", …" if len(expansion.kept) > SHOWN_TERMS else "")
    return (
        f"“{expansion.shown}” matches {expansion.matched:,} words; "
        f"the {len(expansion.kept)} most common were searched ({listed})."
    )


def similar_words(vocabulary: Vocabulary, word: str, edits: int) -> list[str]:
    """Indexed words as written within `edits` (at most MAX_FUZZY_EDITS) of `word`, sharing its first
    letter, most alike first: for fuzzy words and did-you-mean."""
    words = vocabulary.field(VOCABULARY_FIELD).words
    found = {words[at] for at in vocabulary.within(VOCABULARY_FIELD, word, min(edits, MAX_FUZZY_EDITS), FUZZY_PREFIX)}
    return sorted(found, key=lambda near: (-SequenceMatcher(None, word, near).ratio(), near))
