"""Hard-wrapped text -> paragraphs: lines a typewriter-era wire broke at 65 characters joined again.

Works line by line on text or on escaped HTML with <mark> (tags never hold a line break), so
that it can run after highlighting. A line stays on its own when it is part of a table (a run
of spaces inside it), when the line before it was short (a heading, a dateline, a list), or
when it starts a list item; an indented line starts a new paragraph, as in Reuters' wire copy.
"""

from __future__ import annotations

import itertools
import re

TABLE_GAP = re.compile(r"\S(?: {3,}|\t)\S")
LIST_ITEM = re.compile(r"\s*(?:[-*•–]\s|\(?\d{1,3}[.)]\s)")
INDENT = re.compile(r" {2,}|\t")
SHORT = 0.6  # a line shorter than this share of the block's longest line ends where it ends
MIN_WIDTH = 50  # narrower blocks were not wrapped: a title and a date line stay two lines


def reflow(text: str) -> list[str]:
    """The paragraphs of `text`: blank lines and indented lines start one; wrapped lines are joined
    with a space; deliberate breaks (tables, short lines, list items) stay as newlines."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.rstrip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        width = max(MIN_WIDTH, *(len(line.strip()) for line in lines))
        current = lines[0].strip()
        for before, line in itertools.pairwise(lines):
            if INDENT.match(line) and not TABLE_GAP.search(line) and not TABLE_GAP.search(before):
                paragraphs.append(current)
                current = line.strip()
            elif joins(before, line, width):
                current += " " + line.strip()
            else:
                current += "\n" + line.strip()
        paragraphs.append(current)
    return paragraphs


def joins(before: str, line: str, width: int) -> bool:
    """Whether `line` continues `before`, broken only because the line was full."""
    if TABLE_GAP.search(before) or TABLE_GAP.search(line) or LIST_ITEM.match(line):
        return False
    return len(before.strip()) >= SHORT * width
