"""Highlighted snippets: escaped text with <mark> around every matched word, stemmed forms included."""

from __future__ import annotations

import functools
import re
from html import escape

from whoosh import highlight
from whoosh.analysis import Token

from ..analysis import WORD, create_text_analyzer

# Whoosh stops looking for matches after this many characters; past it the lead paragraph stands in.
HIGHLIGHT_CHAR_LIMIT = 2**15
SNIPPET_CHARS = 240
CLOSING_PUNCTUATION = set(".,;:!?)]}\"'’”»…")
ANALYZER = create_text_analyzer()
WORDS = re.compile(WORD)  # the analyzer's own tokenizer pattern
FRAGMENTER = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=80, charlimit=HIGHLIGHT_CHAR_LIMIT)
WHOLE = highlight.WholeFragmenter(charlimit=None)


class MarkFormatter(highlight.Formatter):
    """Escapes all text and wraps each match in a bare <mark>; the web layer sanitises once more.

    (Whoosh's HtmlFormatter adds numbered classes and remembers every term it has seen.)
    """

    def _text(self, text: str) -> str:
        return escape(text, quote=False)

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"<mark>{self._text(highlight.get_text(text, token, replace))}</mark>"


FORMATTER = MarkFormatter()


def matched_fragments_html(text: str, terms: frozenset[str], top: int = 3) -> list[str]:
    """Up to `top` fragments of `text` around matched terms, in document order; [] when none match."""
    if not terms or not text:
        return []
    tokens = matched_tokens(text, terms)
    fragments = highlight.top_fragments(
        FRAGMENTER.fragment_tokens(text, tokens), top, highlight.BasicFragmentScorer(), highlight.FIRST
    )
    return [format_fragment(text, fragment) for fragment in fragments]


def matched_tokens(text: str, terms: frozenset[str]):
    """The text's tokens with those whose analysed form is one of `terms` flagged as matched.

    Each distinct word goes through the analyzer once (cached), not every occurrence.
    """
    token = Token(chars=True)
    for match in WORDS.finditer(text):
        token.text = match.group()
        token.startchar, token.endchar = match.span()
        token.matched = analysed_word(token.text) in terms
        yield token


@functools.lru_cache(maxsize=65536)
def analysed_word(word: str) -> str | None:
    """A word as the index holds it (folded, stemmed), or None for a stop word."""
    return next((token.text for token in ANALYZER(word)), None)


def format_fragment(text: str, fragment) -> str:
    """One fragment as one line of HTML, its sentence punctuation kept, "…" where text was cut."""
    while fragment.endchar < len(text) and text[fragment.endchar] in CLOSING_PUNCTUATION:
        fragment.endchar += 1
    html = " ".join(FORMATTER.format_fragment(fragment, replace=False).split())
    before = "… " if text[: fragment.startchar].strip() else ""
    after = " …" if text[fragment.endchar :].strip() else ""
    return before + html + after


def snippets_html(text: str, terms: frozenset[str], top: int = 3) -> list[str]:
    """Matched fragments, or the lead paragraph when nothing matched within the highlight limit."""
    return matched_fragments_html(text, terms, top) or [lead_html(text)]


def marked_html(text: str, terms: frozenset[str]) -> str:
    """The whole text, escaped, with every matched word marked: for titles and document pages."""
    if not terms or not text:
        return escape(text, quote=False)
    tokens = matched_tokens(text, terms)
    fragments = list(WHOLE.fragment_tokens(text, tokens))
    return FORMATTER.format_fragment(fragments[0], replace=False) if fragments else escape(text, quote=False)


def lead_html(text: str) -> str:
    """The first paragraph, cut to snippet length at a word boundary, escaped."""
    paragraph = next((p.strip() for p in text.split("\n\n") if p.strip()), "")
    lead = " ".join(paragraph.split())
    if len(lead) > SNIPPET_CHARS:
        lead = lead[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return escape(lead, quote=False)
