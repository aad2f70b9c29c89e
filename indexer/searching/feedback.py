"""Pseudo-relevance feedback (RM3) for questions asked in many words.

A long natural-language question names its topic in a few of its words and says the rest in
words the relevant articles may not use. RM3 (Lavrenko and Croft's relevance model,
interpolated with the query as in Anserini) reads the best-ranked articles as if they were
relevant: each term's weight is its share of each of those articles' words, weighted by the
article's score, summed; the heaviest terms are then searched beside the question, and the
matches re-ranked by the two scores together. Short queries are left as they are: a word or two
is the topic itself, and feedback would trade its precision for drift.
"""

from __future__ import annotations

from collections import Counter

from whoosh import query as wq

from ..analysis import create_text_analyzer
from .scoring import Leaf, TermTree

FEEDBACK_MIN_WORDS = 5  # distinct stems in the query: fewer, and feedback is not tried
FEEDBACK_DOCS = 10  # best-ranked articles read as relevant
FEEDBACK_TERMS = 10  # terms of the relevance model kept
ORIGINAL_WEIGHT = 0.7  # the question's share of the interpolated model
FEEDBACK_FIELDS = {"title": 2.0, "body": 1.0}  # where the terms are searched, as the parser weights them
MIN_TERM_CHARS = 2

_ANALYZER = create_text_analyzer()


def query_stems(tree: TermTree) -> set[str]:
    """The query's distinct words as stemmed in bodies."""
    return {leaf.text for leaf in tree.leaves if isinstance(leaf, Leaf) and leaf.fieldname == "body"}


def wants_feedback(tree: TermTree) -> bool:
    return len(query_stems(tree)) >= FEEDBACK_MIN_WORDS


def relevance_model(texts_and_scores: list[tuple[str, float]]) -> dict[str, float]:
    """RM1: P(t|R) = sum over the feedback articles of P(t|D) x the article's share of the scores;
    the FEEDBACK_TERMS heaviest terms, their weights summing to 1."""
    total_score = sum(score for _, score in texts_and_scores) or 1.0
    model: Counter[str] = Counter()
    for text, score in texts_and_scores:
        terms = [t for t in _ANALYZER.indexing_terms(text)[0] if len(t) >= MIN_TERM_CHARS and not t.isdigit()]
        if not terms:
            continue
        share = score / total_score / len(terms)
        for term, count in Counter(terms).items():
            model[term] += count * share
    kept = sorted(model.items(), key=lambda item: (-item[1], item[0]))[:FEEDBACK_TERMS]
    weight = sum(value for _, value in kept) or 1.0
    return {term: value / weight for term, value in kept}


def with_feedback(scorer, searcher, tree: TermTree, scores: dict[int, float], order: list[tuple[int, float]]):
    """The scores re-weighted by RM3: the question's (per word) and the relevance model's, mixed,
    in the question's units (so that bonuses added later keep their weight).

    `order` is the documents by `scores`, best first; only documents in `scores` are scored.
    """
    feedback = [(doc, score) for doc, score in order[:FEEDBACK_DOCS] if score > 0]
    if not feedback:
        return scores
    texts = []
    for doc, score in feedback:
        fields = searcher.stored_fields(doc)
        texts.append((f"{fields.get('title', '')}\n{fields.get('body', '')}", score))
    model = relevance_model(texts)
    reader = searcher.reader()
    leaves = tuple(
        Leaf(fieldname, term, boost * weight)
        for term, weight in model.items()
        for fieldname, boost in FEEDBACK_FIELDS.items()
        if (fieldname, term) in reader
    )
    if not leaves:
        return scores
    expansion = TermTree(wq.Or([wq.Term(leaf.fieldname, leaf.text) for leaf in leaves]), leaves, None)
    expanded = scorer.scores(expansion, set(scores))
    # (1 - w) x model + w x question / |Q|, multiplied by |Q| / w: the same order.
    scale = (1 - ORIGINAL_WEIGHT) / ORIGINAL_WEIGHT * len(query_stems(tree))
    return {doc: score + scale * expanded[doc] for doc, score in scores.items()}
