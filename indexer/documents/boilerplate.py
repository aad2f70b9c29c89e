"""Site boilerplate: comment forms, share and login widgets, contact lines, copyright footers."""

from __future__ import annotations

import re

# A line that starts the comment form or share block: it and everything after it go.
CUT_MARKERS = re.compile(
    r"""^(
        leave\ a\ (reply|comment)( cancel reply)?
      | fill\ in\ your\ details\ below.*
      | (share|like)\ this:?
      | post\ navigation
      | related\ (posts|articles|stories)
      | оставить\ (комментарий|ответ)
      | добавить\ комментарий
      | поделиться:?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Lines that are widgets, contact details or legal footers wherever they stand.
BOILERPLATE_LINES = re.compile(
    r"""(
        ^you\ are\ commenting\ using\ your\b
      | \blog\s*out\s*/\s*change\b
      | ^(twitter\ picture|facebook\ photo|google\+\ photo|wordpress\.com\ logo)$
      | ^connecting\ to\ %s$
      | ^(notify\ me\ of\ new\ (comments|posts)|click\ to\ (share|email|print)|like\ loading)\b
      | ^(blog|twitter|e-?mail|facebook|website|web|instagram|telegram|vk)\s*:\s*\S+$
      | ^(©|\(c\)\s|copyright\s*(©|\(c\)|\d{4}|by\b))  # "Copyright protection..." is prose
      | \ball\ rights\ reserved\b
      | \bвсе\ права\ защищены\b
      | \bсвидетельство\ о\ регистрации\ сми\b
      | ^официальный\ (интернет-ресурс|сайт)\b
      | ^official\ (web\s?site|internet\ resource)\ of\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def is_boilerplate(line: str) -> bool:
    """True for a widget, contact or footer line that must not reach the index."""
    return bool(BOILERPLATE_LINES.search(line.strip()))


def strip_boilerplate(lines: list[str]) -> list[str]:
    """The lines before the first comment/share marker, without boilerplate lines."""
    kept = []
    for line in lines:
        stripped = line.strip()
        if CUT_MARKERS.match(stripped):
            break
        if not is_boilerplate(stripped):
            kept.append(line)
    return kept
