"""User query text -> whoosh query: words AND-ed, "phrases", OR, NOT/-word, field:, prefix*, fuzzy~."""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.qparser import AndGroup, FuzzyTermPlugin, MultifieldParser, OrGroup
from whoosh.qparser.plugins import GtLtPlugin

from ..analysis import STOP_WORDS
from ..schema import FIELD_BOOSTS, create_schema
from .cost import within_budget
from .expansion import MAX_FUZZY_EDITS, expand_patterns, similar_words
from .vocabulary import Vocabulary

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
# A field name followed by nothing to search: `title:`, `title:(`, `title:()`, `title:""`.
EMPTY_FIELD = re.compile(r"(?i)(?<![\w\"])(" + "|".join(FIELD_ALIASES) + r"):[\s(\"]*(?:(?=\))|$|\"\))")
OPEN_GROUP = re.compile(r":\(\s+")
DATES_WORDS, DATE_FIELD = "dates", "date"  # `date:` searches dates as words; a range, the publication date
MINUS_WORD = re.compile(r"(?:(?<=\s)|^)-(?=[\w\"(])")
# `word~` or `word~N` not bound to a field: expanded against the index's unstemmed words.
FUZZY_WORD = re.compile(r"(?<![\w:])(\w+)~(\d)?(?:~\d?)*(?![\w~])")  # `word~2~2` is `word~2`
MAX_FUZZY_WORDS = 8  # neighbours of one word
MAX_FUZZY_LOOKUPS = 8  # words of one query looked up
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
DATE_RANGE = re.compile(r"(?i)(?<![\w\"])date:[\[{][^\]}]*[\]}]?")
RANGE = re.compile(r"[\[{][^\]}]*\bTO\b")
# What makes a query more than words: phrases, wildcards, fuzzy, boosts, operators, known fields.
NOT_PLAIN = re.compile(OPERATORS.pattern + r"|[\"*~^[{]|(?i:\b(?:" + "|".join(FIELD_ALIASES) + r"):)")
QUESTION_MARKS = re.compile(r"\?+(?!\w)")  # a "?" ending a word or standing alone; "wom?n" keeps it

NO_WORDS = "Your query had no words to search for; showing all documents."
DATE_RANGE_PROBLEM = "has a date range whose ends are not dates like 1987-03-01, 1987-03 or 1987"
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


def parse_query(text: str, vocabulary: Vocabulary, *, any_word: bool = False) -> ParsedQuery:
    """Parse what the user typed: the one way every search, relaxation, suggestion and document
    page reads a query. Malformed syntax falls back to its plain words with a notice; patterns
    and fuzzy words become the few indexed words they stand for (`vocabulary`'s).
    """
    text = " ".join(text.split())
    notes = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append(f"The query was shortened to its first {MAX_QUERY_CHARS} characters.")
    searched = without_empty_fields(as_read(text), notes)
    if not any(char.isalnum() for char in searched):
        return ParsedQuery(wq.Every(), text if notes else "", " ".join(notes) or (NO_WORDS if text else None))
    parser = ANY_WORD_PARSER if any_word else PARSER
    syntax = expand_fuzzy(normalise_syntax(searched), vocabulary, notes)
    try:
        parsed = without_unpositioned_phrases(parser.parse(syntax))
        problem = check_query(parsed)
    except Exception as error:  # noqa: BLE001 - whoosh's parser raises assorted errors on odd input
        problem = f"could not be read ({type(error).__name__})"
        if DATE_RANGE.search(searched):  # whoosh reads the ends of a date range as dates, or fails
            problem, searched = DATE_RANGE_PROBLEM, DATE_RANGE.sub(" ", searched)
    if problem is None:
        if text.count('"') % 2:
            notes.append(UNMATCHED_QUOTE)
        parsed = bounded(parsed, vocabulary, notes)
        plain = not NOT_PLAIN.search(searched)
        broadenable = not OPERATORS.search(searched) and not RANGE.search(searched)  # a range narrows, like a filter
        query = with_proximity_bonus(parsed, searched) if plain else parsed
        return ParsedQuery(query, text, " ".join(notes) or None, plain, broadenable)
    words = content_words(searched)
    if not words:
        common = ", ".join(dict.fromkeys(SYNTAX.sub(" ", searched).split()))
        reason = f"has only words too common to search for ({common})" if common else problem
        notes.append(f"Your query {reason}; showing all documents.")
        return ParsedQuery(wq.Every(), text, " ".join(notes), plain=True)
    notes.append(f"Your query {problem}; showing results for its words: {' '.join(words)}.")
    fallback = bounded(parser.parse(" ".join(words)), vocabulary, notes)
    return ParsedQuery(fallback, text, " ".join(notes), plain=True, broadenable=True)


def bounded(parsed: wq.Query, vocabulary: Vocabulary, notes: list[str]) -> wq.Query:
    """Patterns and fuzzy parts as their most frequent words, then the query within its budget of
    postings; what was cut is said in `notes`."""
    parsed, cut = expand_patterns(parsed, vocabulary)
    parsed, dropped = within_budget(parsed, vocabulary)
    notes.extend(cut + dropped)
    return parsed


def without_empty_fields(text: str, notes: list[str]) -> str:
    """The text without field names that have nothing after them (`title:(`), noted in `notes`."""

    def empty(match: re.Match) -> str:
        notes.append(f"Nothing to search for followed “{match.group(1)}:”, so it was left out.")
        return " "

    return EMPTY_FIELD.sub(empty, text)


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
    text = OPEN_GROUP.sub(":(", text)  # whoosh reads `title:( oil` as the word "title" and oil

    def field(match: re.Match) -> str:
        name = FIELD_ALIASES.get(match.group(1).lower())
        if name == DATES_WORDS and text[match.end()] in "[{":
            return f"{DATE_FIELD}:"  # a range of dates: publication dates, as the date filter
        return f"{name}:" if name else f"{match.group(1)} "

    return FIELD_PREFIX.sub(field, text)


def expand_fuzzy(text: str, vocabulary: Vocabulary, notes: list[str]) -> str:
    """`word~` -> (word OR near^0.5 ...): fuzzy matching on whole words, not on their stems.

    Each word looks through the vocabulary: past MAX_FUZZY_LOOKUPS a `word~` is searched as
    written, with a note.
    """
    looked_up = 0

    def expand(match: re.Match) -> str:
        nonlocal looked_up
        word = match.group(1)
        looked_up += 1
        if looked_up > MAX_FUZZY_LOOKUPS:
            return word
        edits = min(int(match.group(2) or MAX_FUZZY_EDITS), MAX_FUZZY_EDITS)
        near = [w for w in similar_words(vocabulary, word.lower(), edits) if w != word.lower()][:MAX_FUZZY_WORDS]
        # A neighbour is not what was typed: it gets no exact-form weight, and less than a stem.
        options = [f"{field}:{w}^{FUZZY_WEIGHT * FIELD_BOOSTS[field]:g}" for w in near for field in FUZZY_FIELDS]
        return "(" + " OR ".join([word, *options]) + ")"

    expanded = FUZZY_WORD.sub(expand, text)
    if looked_up > MAX_FUZZY_LOOKUPS:
        notes.append(f"Only the first {MAX_FUZZY_LOOKUPS} words marked ~ were matched loosely; the rest as written.")
    return expanded


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
