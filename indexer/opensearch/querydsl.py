"""A parsed query (the whoosh query tree our parser makes) -> OpenSearch query DSL.

The tree's terms are already analysed, and the index holds the same terms, so each leaf is an
exact `term` (or a `match_phrase` split on spaces): the same words match the same documents in
both backends. Patterns and fuzzy words arrive expanded into terms by the parser (bounded by the
vocabulary); any left are sent as OpenSearch's own bounded queries.
"""

from __future__ import annotations

import datetime

from whoosh import query as wq

MATCH_ALL = {"match_all": {}}
MATCH_NONE = {"match_none": {}}
MAX_EXPANSIONS = 64  # terms a leftover prefix, wildcard or fuzzy part may stand for


def to_dsl(node: wq.Query) -> dict:
    """The OpenSearch query for a whoosh query node."""
    boost = float(getattr(node, "boost", 1.0) or 1.0)
    if isinstance(node, wq.Every):
        return MATCH_ALL
    if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
        return MATCH_NONE
    if isinstance(node, wq.AndMaybe):
        return {"bool": {"must": [to_dsl(node.a)], "should": [to_dsl(node.b)]}}
    if isinstance(node, wq.AndNot):
        return {"bool": {"must": [to_dsl(node.a)], "must_not": [to_dsl(node.b)]}}
    if isinstance(node, wq.Require):
        return {"bool": {"must": [to_dsl(node.a)], "filter": [to_dsl(node.b)]}}
    if isinstance(node, wq.Not):
        return {"bool": {"must": [MATCH_ALL], "must_not": [to_dsl(node.query)]}}
    if isinstance(node, wq.And):
        parts = [part for part in node.subqueries if not isinstance(part, wq.Not)]
        negated = [part.query for part in node.subqueries if isinstance(part, wq.Not)]
        return with_boost(
            {
                "bool": {
                    "must": [to_dsl(part) for part in parts] or [MATCH_ALL],
                    "must_not": [to_dsl(part) for part in negated],
                }
            },
            boost,
        )
    if isinstance(node, wq.Or):
        return with_boost(
            {"bool": {"should": [to_dsl(part) for part in node.subqueries], "minimum_should_match": 1}}, boost
        )
    if isinstance(node, wq.DateRange) or (isinstance(node, wq.NumericRange) and node.fieldname == "date"):
        return date_range_dsl(node)
    if isinstance(node, wq.Term):
        return {"term": {node.fieldname: {"value": node.text, "boost": boost}}}
    if isinstance(node, wq.Phrase):
        # whoosh's slop 1 is words side by side, Lucene's 0.
        return {
            "match_phrase": {
                node.fieldname: {"query": " ".join(node.words), "slop": max(0, node.slop - 1), "boost": boost}
            }
        }
    if isinstance(node, wq.FuzzyTerm):
        fuzzy = {"value": node.text, "fuzziness": node.maxdist, "prefix_length": node.prefixlength}
        return {"fuzzy": {node.fieldname: fuzzy | {"max_expansions": MAX_EXPANSIONS, "boost": boost}}}
    if isinstance(node, wq.Prefix):
        return {
            "prefix": {node.fieldname: {"value": node.text, "rewrite": f"top_terms_{MAX_EXPANSIONS}", "boost": boost}}
        }
    if isinstance(node, wq.Wildcard):
        return {
            "wildcard": {node.fieldname: {"value": node.text, "rewrite": f"top_terms_{MAX_EXPANSIONS}", "boost": boost}}
        }
    if isinstance(node, wq.TermRange):
        bounds = {("gt" if node.startexcl else "gte"): node.start, ("lt" if node.endexcl else "lte"): node.end}
        return {"range": {node.fieldname: {key: value for key, value in bounds.items() if value is not None}}}
    raise ValueError(f"no OpenSearch form for the query part {node!r}")


def with_boost(query: dict, boost: float) -> dict:
    if boost != 1.0:
        query["bool"]["boost"] = boost
    return query


def date_range_dsl(node: wq.NumericRange) -> dict:
    """A range of publication dates: whoosh holds the ends as microseconds since datetime.min."""
    bounds = {}
    if node.start is not None:
        bounds["gt" if node.startexcl else "gte"] = as_day(node.start)
    if node.end is not None:
        bounds["lt" if node.endexcl else "lte"] = as_day(node.end)
    return {"range": {"date": bounds}}


def as_day(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return (datetime.datetime.min + datetime.timedelta(microseconds=int(value))).date().isoformat()


def date_filter(date_from: datetime.date | None, date_to: datetime.date | None) -> dict:
    """The date filter of a search (either end open)."""
    bounds = {}
    if date_from:
        bounds["gte"] = date_from.isoformat()
    if date_to:
        bounds["lte"] = date_to.isoformat()
    return {"range": {"date": bounds}}
