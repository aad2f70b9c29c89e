"""Markdown -> the plain text a reader sees: no heading marks, emphasis, link syntax or fences.

Snippets and document pages show a document's text as text, so `**bold**` and
`[a link](http://…)` would show their syntax. Lines keep their places (a paragraph break
stays a paragraph break); a construct this does not know is left as it was written.
"""

from __future__ import annotations

import re

FENCE = re.compile(r"^\s{0,3}(```|~~~)")
HEADING = re.compile(r"^\s{0,3}#{1,6}(\s+|$)")
CLOSING_HASHES = re.compile(r"\s+#+\s*$")
SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
QUOTE = re.compile(r"^\s{0,3}(>\s?)+")
BULLET = re.compile(r"^(\s*)[*+](\s+)")
REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
IMAGE = re.compile(r"!\[([^\]]*)\]\([^)\s]*(\s+\"[^\"]*\")?\)")
LINK = re.compile(r"\[([^\]]+)\]\([^)\s]*(\s+\"[^\"]*\")?\)")
REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
CODE = re.compile(r"`+([^`]+?)`+")
STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")
STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
ESCAPED = re.compile("\x00(\\d+)\x01")


def markdown_text(markdown: str) -> str:
    """The text of a Markdown document, line for line, without its syntax; code blocks kept as written."""
    lines = markdown.splitlines()
    plain, in_code = [], False
    for number, line in enumerate(lines):
        previous = lines[number - 1] if number else ""
        if FENCE.match(line):
            in_code = not in_code
            plain.append("")
        elif in_code:
            plain.append(line)
        elif syntax_only(line, previous):
            plain.append("")
        else:
            plain.append(block_text(line))
    return "\n".join(plain)


def syntax_only(line: str, previous: str) -> bool:
    """A line with no words to read: a rule, a heading's underline, a link definition, a table's rule."""
    underline = SETEXT_UNDERLINE.match(line) and previous.strip()
    return bool(underline or RULE.match(line) or REFERENCE_DEFINITION.match(line) or TABLE_RULE.match(line))


def block_text(line: str) -> str:
    if HEADING.match(line):
        return inline_text(CLOSING_HASHES.sub("", HEADING.sub("", line)))
    line = QUOTE.sub("", line)
    line = BULLET.sub(r"\1-\2", line)
    return inline_text(line)


def inline_text(text: str) -> str:
    """A line's words without emphasis, code, link or image syntax (a link keeps its text)."""
    text = ESCAPE.sub(lambda match: f"\x00{ord(match.group(1))}\x01", text)  # \* is a star, not emphasis
    text = IMAGE.sub(r"\1", text)
    text = LINK.sub(r"\1", text)
    text = REFERENCE_LINK.sub(r"\1", text)
    text = AUTOLINK.sub(r"\1", text)
    text = CODE.sub(r"\1", text)
    text = STRONG.sub(r"\2", text)
    text = EMPHASIS.sub(lambda match: match.group(1) or match.group(2), text)
    text = STRIKE.sub(r"\1", text)
    return ESCAPED.sub(lambda match: chr(int(match.group(1))), text)
