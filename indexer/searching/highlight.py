"""Highlighted snippets: escaped text with <mark> around every matched word, stemmed forms included."""

from __future__ import annotations

import functools
import re
from html import escape

from ..analysis import WORD, create_text_analyzer
from ..documents.pages import page_bounds

# Matches are looked for in this many characters; past it the lead paragraph stands in.
HIGHLIGHT_CHAR_LIMIT = 2**15
SNIPPET_CHARS = 240
SURROUND = 80  # characters of context kept on each side of a run of matches
CLOSING_PUNCTUATION = set(".,;:!?)]}\"'’”»…")
ANALYZER = create_text_analyzer()
WORDS = re.compile(WORD)  # the analyzer's own tokenizer pattern


def matched_spans(text: str, terms: frozenset[str], limit: int | None = HIGHLIGHT_CHAR_LIMIT) -> list[tuple[int, int]]:
    """(start, end) of every word in `text[:limit]` whose analysed form is one of `terms`.

    Each distinct word is analysed once (cached), then one pass finds where the matched ones stand.
    """
    head = text if limit is None else text[:limit]
    matched = {word for word in set(WORDS.findall(head)) if analysed_word(word) in terms}
    return [match.span() for match in WORDS.finditer(head) if match.group() in matched] if matched else []


@functools.lru_cache(maxsize=65536)
def analysed_word(word: str) -> str | None:
    """A word as the index holds it (folded, stemmed), or None for a stop word."""
    return next((token.text for token in ANALYZER(word)), None)


def matched_fragments_html(text: str, terms: frozenset[str], top: int = 3) -> list[str]:
    """Up to `top` fragments of `text` around matched terms, in document order; [] when none match."""
    return [html for html, _ in placed_fragments_html(text, terms, top)]


def placed_fragments_html(text: str, terms: frozenset[str], top: int = 3) -> list[tuple[str, int]]:
    """Up to `top` fragments of `text` around matched terms, in document order, each with the
    offset of its first match; [] when none match.

    A fragment is a run of matches each within SURROUND characters of the last, with context on
    both sides, at most SNIPPET_CHARS long, on one page (documents/pages.py); the best hold the
    most matches of the most distinct words.
    """
    if not terms or not text:
        return []
    runs = match_runs(matched_spans(text, terms))
    fragments = []  # (start, end, run), in document order, never overlapping
    for run, following in zip(runs, [*runs[1:], None]):
        floor = fragments[-1][1] if fragments else 0
        ceiling = following[0][0] if following else len(text)
        page_start, page_end = page_bounds(text, run[0][0])  # a snippet labelled "page 3" shows page 3 only
        run = [span for span in run if span[1] <= page_end]
        fragments.append((*fragment_bounds(text, run, max(floor, page_start), min(ceiling, page_end)), run))
    best = sorted(fragments, key=lambda fragment: (-run_score(text, fragment[2]), fragment[0]))[:top]
    return [(fragment_html(text, *fragment), fragment[2][0][0]) for fragment in sorted(best)]


def match_runs(spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Matches grouped into runs that fit one fragment with its context."""
    runs = []
    for span in spans:
        run = runs[-1] if runs else None
        if run and span[0] - run[-1][1] <= SURROUND and span[1] - run[0][0] <= SNIPPET_CHARS - SURROUND:
            run.append(span)
        else:
            runs.append([span])
    return runs


def run_score(text: str, run: list[tuple[int, int]]) -> int:
    """Matches in the run times the distinct words they are (variety first, as whoosh scores)."""
    return len(run) * len({analysed_word(text[start:end]) for start, end in run})


def fragment_html(text: str, start: int, end: int, run: list[tuple[int, int]]) -> str:
    """text[start:end] with its run marked, as one line of HTML, "…" where the text goes on."""
    before = "… " if text[:start].strip() else ""
    after = " …" if text[end:].strip() else ""
    return before + " ".join(marked_slice(text, run, start, end).split()) + after


def marked_slice(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    """text[start:end] escaped, with <mark> around each span (spans in order, inside the slice)."""
    pieces, position = [], start
    for span_start, span_end in spans:
        pieces.append(escape(text[position:span_start], quote=False))
        pieces.append(f"<mark>{escape(text[span_start:span_end], quote=False)}</mark>")
        position = span_end
    pieces.append(escape(text[position:end], quote=False))
    return "".join(pieces)


def fragment_bounds(text: str, run: list[tuple[int, int]], floor: int, ceiling: int) -> tuple[int, int]:
    """Where a run's fragment begins and ends: SURROUND characters either side at word edges, with
    the sentence punctuation that closes it, between the previous fragment's end (`floor`) and the
    next run's first match (`ceiling`)."""
    first, last = run[0][0], run[-1][1]
    position = max(floor, first - SURROUND)
    start = 0 if position <= 0 else word_start_from(text, position, first)
    limit = min(last + SURROUND, start + SNIPPET_CHARS, ceiling)
    end = max((m.end() for m in WORDS.finditer(text, last, limit + 40) if m.end() <= limit), default=last)
    while end < len(text) and text[end] in CLOSING_PUNCTUATION:
        end += 1
    return start, end


def word_start_from(text: str, position: int, first: int) -> int:
    """The start of the first whole word at or after `position` (at the latest, `first`: a word's start)."""
    match = WORDS.search(text, position, first + 1)
    if match and match.start() > 0 and text[match.start() - 1].isalnum():  # inside a word: take the next one
        match = WORDS.search(text, match.end(), first + 1)
    return match.start() if match else first


def snippets_html(text: str, terms: frozenset[str], top: int = 3) -> list[tuple[str, int]]:
    """Matched fragments, or the lead paragraph when nothing matched within the highlight limit,
    each with the offset of its first match or its start (for its page number)."""
    return placed_fragments_html(text, terms, top) or [(lead_html(text), len(text) - len(text.lstrip()))]


def marked_html(text: str, terms: frozenset[str]) -> str:
    """The whole text, escaped, with every matched word marked: for titles and document pages."""
    spans = matched_spans(text, terms, limit=None) if terms and text else []
    return marked_slice(text, spans, 0, len(text))


def lead_html(text: str) -> str:
    """The first paragraph, cut to snippet length at a word boundary, escaped."""
    paragraph = next((p.strip() for p in text.split("\n\n") if p.strip()), "")
    lead = " ".join(paragraph.split())
    if len(lead) > SNIPPET_CHARS:
        lead = lead[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return escape(lead, quote=False)
