"""What a query costs to answer, counted in postings, and the commonest of its parts left out when
it costs more than one request may spend.

Matching and scoring visit every posting of every term a query holds, in Python: about a
microsecond each. A pasted paragraph of 60 common words, or a pattern's most frequent words in
eight fields, comes to over a million postings on 95,000 documents. Over MAX_QUERY_POSTINGS,
the query's costliest parts (its most common words: the ones that tell documents apart least)
are left out until it fits, always keeping one part that says what to find, and the user is
told which.
"""

from __future__ import annotations

from whoosh import query as wq

from .vocabulary import Vocabulary

MAX_QUERY_POSTINGS = 300_000
PHRASE_COST = 2  # a phrase's words' postings, and their positions too
SHOWN_FIELD = "exact"  # a word as written, where the part searches it


def within_budget(query: wq.Query, vocabulary: Vocabulary) -> tuple[wq.Query, list[str]]:
    """The query with its costliest top-level parts left out while it costs more than
    MAX_QUERY_POSTINGS; and a note naming them (none when nothing was left out)."""
    if not isinstance(query, (wq.And, wq.Or)):
        return query, []
    costs = [cost(part, vocabulary) for part in query.subqueries]
    total = sum(costs)
    if total <= MAX_QUERY_POSTINGS:
        return query, []
    dropped = set()
    positive = sum(1 for part in query.subqueries if not isinstance(part, wq.Not))
    for at in sorted(range(len(costs)), key=lambda at: -costs[at]):
        if total <= MAX_QUERY_POSTINGS:
            break
        if not isinstance(query.subqueries[at], wq.Not):
            if positive == 1:
                continue  # the last part that says what to find
            positive -= 1
        dropped.add(at)
        total -= costs[at]
    kept = [part for at, part in enumerate(query.subqueries) if at not in dropped]
    words = list(dict.fromkeys(shown(query.subqueries[at]) for at in sorted(dropped, key=lambda at: -costs[at])))
    words = [word for word in words if word is not None] or ["(terms of other fields)"]
    note = f"To answer in time, the commonest words of the query were left out: {', '.join(words)}."
    return query.__class__(kept, boost=query.boost, **extra_arguments(query)).normalize(), [note]


def extra_arguments(query: wq.Query) -> dict:
    """An Or's coordination (any-word queries rank documents with more words first)."""
    return {"scale": query.scale} if isinstance(query, wq.Or) and query.scale else {}


def cost(part: wq.Query, vocabulary: Vocabulary) -> int:
    """The postings a part's terms and phrases hold (ranges and the like are left to whoosh: 0)."""
    total = 0
    for leaf in part.leaves():
        if isinstance(leaf, wq.Term):
            total += vocabulary.doc_frequency(leaf.fieldname, leaf.text)
        elif isinstance(leaf, wq.Phrase):
            total += PHRASE_COST * sum(vocabulary.doc_frequency(leaf.fieldname, word) for word in leaf.words)
    return total


def shown(part: wq.Query) -> str | None:
    """A part as the user would recognise it: its word as written, a phrase in quotes, -word; None for
    a part that only searches a word's stem (an expansion's term in a stemmed field)."""
    if isinstance(part, wq.Not):
        inner = shown(part.query)
        return None if inner is None else f"-{inner}"
    leaves = list(part.leaves())
    for leaf in leaves:
        if isinstance(leaf, wq.Term) and leaf.fieldname == SHOWN_FIELD:
            return leaf.text
    for leaf in leaves:
        if isinstance(leaf, wq.Phrase):
            return f"“{' '.join(leaf.words)}”"
    return None
