"""User query text -> whoosh query: words AND-ed, "phrases", OR, NOT/-word, field:, prefix*, fuzzy~."""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.qparser import AndGroup, FuzzyTermPlugin, MultifieldParser, OrGroup
from whoosh.qparser.plugins import GtLtPlugin

from .analysis import STOP_WORDS
from .schema import FIELD_BOOSTS, create_schema

# Field names a user may type, and what they search.
FIELD_ALIASES = {
    "title": "title",
    "body": "body",
    "text": "body",
    "person": "person",
    "people": "person",
    "org": "org",
    "organization": "org",
    "organisation": "org",
    "place": "place",
    "source": "source",
    "date": "dates",
}
FIELD_PREFIX = re.compile(r"(?<![\w\"])([A-Za-z]+):(?=\S)")
MINUS_WORD = re.compile(r"(?:(?<=\s)|^)-(?=[\w\"(])")
# `word~` or `word~N` not bound to a field: expanded against the index's unstemmed words.
FUZZY_WORD = re.compile(r"(?<![\w:])(\w+)~(\d)?(?![\w~])")
MAX_FUZZY_EDITS = 2
MAX_FUZZY_WORDS = 8
FUZZY_WEIGHT = 0.5
FUZZY_FIELDS = ("title", "body")
SYNTAX = re.compile(r"[\"()~*:^\[\]{}+\-!?\\/]|\b(?:AND|OR|NOT|TO)\b")
MAX_QUERY_CHARS = 1000
MAX_TERMS = 64


@dataclass(frozen=True)
class ParsedQuery:
    """The whoosh query, and a message for the user when their syntax had to be repaired."""

    query: wq.Query
    text: str
    notice: str | None = None
    plain: bool = False  # only words: no operators, fields, phrases or wildcards
    broadenable: bool = False  # no AND/OR/NOT: any of its parts may stand for the whole


COORDINATION = 0.9
# A bonus for the query's words standing close together (within PHRASE_SLOP positions).
PHRASE_BOOSTS = {"title": 2.0, "body": 1.0}
PHRASE_SLOP = 3
MAX_PHRASE_WORDS = 8
UNPOSITIONED_FIELDS = {"exact"}  # no positions stored: phrases are matched on the other fields
# Boolean operators: "-word", "+word", AND, OR, NOT. A dash standing alone is punctuation.
OPERATORS = re.compile(r"(?:^|\s)[-+](?=[\w\"(])|\b(?:AND|OR|NOT)\b")
# What makes a query more than words: phrases, wildcards, fuzzy, boosts, operators, known fields.
NOT_PLAIN = re.compile(OPERATORS.pattern + r"|[\"*~^]|(?i:\b(?:" + "|".join(FIELD_ALIASES) + r"):)")
QUESTION_MARKS = re.compile(r"\?+(?!\w)")  # a "?" ending a word or standing alone; "wom?n" keeps it

NO_WORDS = "Your query had no words to search for; showing all documents."
UNMATCHED_QUOTE = "Your query has an unmatched quotation mark: the phrase was read to the end of the query."

_SCHEMA = create_schema()


def create_parser(any_word: bool = False) -> MultifieldParser:
    # Any-word queries still rank documents with more of the words first (coordination).
    group = OrGroup.factory(COORDINATION) if any_word else AndGroup
    parser = MultifieldParser(list(FIELD_BOOSTS), _SCHEMA, fieldboosts=FIELD_BOOSTS, group=group)
    parser.add_plugin(FuzzyTermPlugin())
    parser.remove_plugin_class(GtLtPlugin)
    return parser


PARSER = create_parser()
ANY_WORD_PARSER = create_parser(any_word=True)
PHRASE_PARSER = MultifieldParser(list(PHRASE_BOOSTS), _SCHEMA, fieldboosts=PHRASE_BOOSTS)


def parse_query(text: str, *, any_word: bool = False, similar_words=None) -> ParsedQuery:
    """Parse what the user typed; malformed syntax falls back to its plain words with a notice.

    `similar_words(word, max_edits)` lists indexed words near a misspelt one, for `word~`.
    """
    text = " ".join(text.split())
    notice = None
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notice = f"The query was shortened to its first {MAX_QUERY_CHARS} characters."
    if not any(char.isalnum() for char in text):
        return ParsedQuery(wq.Every(), "", notice or (NO_WORDS if text else None))
    parser = ANY_WORD_PARSER if any_word else PARSER
    read = as_read(text)
    syntax = normalise_syntax(read)
    if similar_words is not None:
        syntax = expand_fuzzy(syntax, similar_words)
    try:
        parsed = without_unpositioned_phrases(parser.parse(syntax))
        problem = check_query(parsed)
    except Exception as error:  # noqa: BLE001 - whoosh's parser raises assorted errors on odd input
        problem = f"could not be read ({type(error).__name__})"
    if problem is None:
        if text.count('"') % 2:
            notice = notice or UNMATCHED_QUOTE
        plain = not NOT_PLAIN.search(read)
        broadenable = not OPERATORS.search(read)
        return ParsedQuery(with_proximity_bonus(parsed, read) if plain else parsed, text, notice, plain, broadenable)
    words = content_words(text)
    fallback = parser.parse(" ".join(words)) if words else wq.NullQuery
    message = f"Your query {problem}; showing results for its words: {' '.join(words) or '(none)'}."
    return ParsedQuery(fallback, text, message, plain=True, broadenable=True)


def as_read(text: str) -> str:
    """The text as the parser reads it: a query written in capitals (wire copy, a headline) in
    lower case, so that AND, OR, NOT and TO in it are words, as they are in lower case."""
    return text.lower() if written_in_capitals(text) else text


def written_in_capitals(text: str) -> bool:
    """True when the text has letters and none of them is lower case."""
    return any(char.isupper() for char in text) and not any(char.islower() for char in text)


def normalise_syntax(text: str) -> str:
    """-word becomes NOT word; field names mapped or made words; a question's "?" dropped.

    (Whoosh reads "science?" as a wildcard, which is never stemmed and so never matches.)
    """
    text = MINUS_WORD.sub("NOT ", QUESTION_MARKS.sub("", text))

    def field(match: re.Match) -> str:
        name = FIELD_ALIASES.get(match.group(1).lower())
        return f"{name}:" if name else f"{match.group(1)} "

    return FIELD_PREFIX.sub(field, text)


def expand_fuzzy(text: str, similar_words) -> str:
    """`word~` -> (word OR near^0.5 ...): fuzzy matching on whole words, not on their stems."""

    def expand(match: re.Match) -> str:
        word = match.group(1)
        edits = min(int(match.group(2) or MAX_FUZZY_EDITS), MAX_FUZZY_EDITS)
        near = [w for w in similar_words(word.lower(), edits) if w != word.lower()][:MAX_FUZZY_WORDS]
        # A neighbour is not what was typed: it gets no exact-form weight, and less than a stem.
        options = [f"{field}:{w}^{FUZZY_WEIGHT * FIELD_BOOSTS[field]:g}" for w in near for field in FUZZY_FIELDS]
        return "(" + " OR ".join([word, *options]) + ")"

    return FUZZY_WORD.sub(expand, text)


def without_unpositioned_phrases(query: wq.Query) -> wq.Query:
    """Phrase parts on fields without positions removed: whoosh cannot match them there."""

    def drop(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.Phrase) and node.fieldname in UNPOSITIONED_FIELDS:
            return wq.NullQuery
        return node

    return query.accept(drop).normalize()


def with_proximity_bonus(query: wq.Query, text: str) -> wq.Query:
    """Plain words -> the same matches, scored higher where the words stand close together."""
    words = plain_words(text)
    if not 2 <= len(words) <= MAX_PHRASE_WORDS:
        return query
    return wq.AndMaybe(query, PHRASE_PARSER.parse(f'"{" ".join(words)}"~{PHRASE_SLOP}'))


def split_proximity(query: wq.Query) -> tuple[wq.Query, wq.Query | None]:
    """The part of a query that decides what matches, and its proximity bonus (or None)."""
    return (query.a, query.b) if isinstance(query, wq.AndMaybe) else (query, None)


def check_query(parsed: wq.Query) -> str | None:
    """A reason to distrust a parse: too many terms, or nothing left to search."""
    if parsed is wq.NullQuery or isinstance(parsed, (wq.NullQuery.__class__, wq.Every)):
        return "had nothing to search for"
    if len(list(parsed.leaves())) > MAX_TERMS * len(FIELD_BOOSTS):
        return f"has more than {MAX_TERMS} terms"
    return None


def plain_words(text: str) -> list[str]:
    """The query's words with every operator and syntax character removed."""
    return SYNTAX.sub(" ", as_read(text)).split()[:MAX_TERMS]


def content_words(text: str) -> list[str]:
    """The query's first MAX_TERMS words that are not stop words: what a too-long query keeps."""
    words = (word for word in SYNTAX.sub(" ", as_read(text)).split() if word.lower() not in STOP_WORDS)
    return list(dict.fromkeys(words))[:MAX_TERMS]
