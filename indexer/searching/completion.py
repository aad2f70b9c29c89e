"""Search as you type: the last word of a query still being typed stands for its completions.

The completions are the most frequent indexed words that begin with it (at most
MAX_COMPLETIONS, so a one-letter prefix costs no more than a long one), matched as written in
titles and bodies and, with the title's weight, in titles; each is weighted by how likely it is
to be the word meant: its frequency beside the most frequent completion's. (A typed word also
matches its stem's other forms and the name fields; a prefix already stands for several words,
and a short one for most documents, where scoring every field would cost a keystroke's budget.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import query as wq

from ..analysis import STOP_WORDS
from ..schema import FIELD_BOOSTS
from .query import ParsedQuery, as_read, split_proximity
from .vocabulary import Vocabulary

MAX_COMPLETIONS = 8
COMPLETION_FIELDS = ("title", "exact")
# A bare word at the very end: not after a field name, inside a word, or followed by a space.
LAST_WORD = re.compile(r"(?:^|(?<=[\s(]))(\w+)$")
OPERATOR_WORDS = frozenset(("AND", "OR", "NOT", "TO"))


@dataclass(frozen=True)
class Typed:
    """A query being typed: what comes before its last word, and the last word (a prefix)."""

    head: str
    prefix: str


def split_typed(text: str) -> Typed | None:
    """The query and its unfinished last word; None when the text ends otherwise (a space, a
    closing quote, syntax) or the last word is complete as it stands (an operator, or a stop
    word of two letters or more: "of", "the")."""
    text = text.lstrip()
    match = LAST_WORD.search(text)
    if match is None or text.count('"') % 2:  # ends inside a phrase: the phrase is not a prefix
        return None
    word = match.group(1)
    read = as_read(text)[match.start() :]
    if read in OPERATOR_WORDS or (len(word) > 1 and word.lower() in STOP_WORDS):  # "s" may begin "spectrum"
        return None
    return Typed(text[: match.start()], word)


def read_typed(parse, reader, vocabulary: Vocabulary, text: str, *, any_word: bool, as_you_type: bool) -> ParsedQuery:
    """The query as `parse` reads it; as you type, its unfinished last word stands for its completions."""
    typed = split_typed(text) if as_you_type else None
    completions = completion_query(reader, vocabulary, typed.prefix) if typed else None
    if completions is None:  # no word begins so: read the last word as it stands
        return parse(text, any_word=any_word)
    return with_completions(parse(typed.head, any_word=any_word), text, completions)


def completion_query(reader, vocabulary: Vocabulary, prefix: str) -> wq.Query | None:
    """Any of the prefix's most frequent completions, in titles and as written; None when no
    indexed word begins with it. `reader`: the index's terms and schema (whoosh's IndexReader)."""
    words = vocabulary.completions(prefix.lower(), MAX_COMPLETIONS)
    if not words:
        return None
    top = max(vocabulary.frequency(word) for word in words)
    weights: dict[tuple[str, str], float] = {}
    for word in words:
        likelihood = vocabulary.frequency(word) / top
        for fieldname in COMPLETION_FIELDS:
            boost = FIELD_BOOSTS[fieldname]
            for term in reader.schema[fieldname].process_text(word, mode="query"):
                key = (fieldname, term)  # inflections share a stem: it counts once, at its likeliest
                if key in weights or key in reader:
                    weights[key] = max(weights.get(key, 0.0), boost * likelihood)
    if not weights:
        return None
    return wq.Or([wq.Term(fieldname, term, boost=weight) for (fieldname, term), weight in weights.items()])


def with_completions(head: ParsedQuery, text: str, completions: wq.Query) -> ParsedQuery:
    """The head's query with the completions as one more word: AND-ed, or one more of the
    any-word query's optional words."""
    base, proximity = split_proximity(head.query)
    notice = head.notice
    if isinstance(base, wq.Every):  # the last word is the only one
        query, notice = completions, None
    elif isinstance(base, wq.Or) and base.scale:
        query = wq.Or([*base.subqueries, completions], boost=base.boost, scale=base.scale)
    else:
        query = wq.And([base, completions])
    if proximity is not None:
        query = wq.AndMaybe(query, proximity)
    return ParsedQuery(query, text, notice, head.plain, head.broadenable)
