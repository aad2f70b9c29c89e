"""RTF -> one source text, by striprtf (BSD-3, pure Python), with title, author and date from its info group."""

from __future__ import annotations

import codecs
import datetime
import re

from striprtf.striprtf import rtf_to_text

from ..decode import clean_text
from ..files import ReadOptions, SkipFile, SourceText, one_line

CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")
INFO_FIELD = re.compile(r"\{\\(title|author)\b ?([^{}]*)\}")
CREATED = re.compile(r"\\creatim\\yr(\d{4})\\mo(\d{1,2})\\dy(\d{1,2})")


def read(data: bytes, suffix: str, rel: str, options: ReadOptions) -> tuple[list[SourceText], list[str]]:
    """An RTF document's text with its title, author and creation date."""
    if not data.lstrip().startswith(b"{\\rtf"):
        raise SkipFile("not an RTF file (no '{\\rtf' header)")
    encoding = code_page(data)
    # RTF is 7-bit text; bytes above 127 (against the specification) are taken in its code page.
    rtf = data.decode(encoding, errors="replace")
    text = clean_text(rtf_to_text(rtf, encoding=encoding, errors="replace")).strip()
    if not text:
        raise SkipFile("no text")
    info = {
        name: one_line(rtf_to_text("{\\rtf1 " + value + "}", encoding=encoding, errors="replace"))
        for name, value in reversed(INFO_FIELD.findall(rtf))
    }
    return [
        SourceText(rel, rel, "rtf", text, title=info.get("title"), date=created(rtf), author=info.get("author"))
    ], []


def code_page(data: bytes) -> str:
    """The document's ANSI code page (\\ansicpg1251 -> cp1251), else Windows Western."""
    match = CODE_PAGE.search(data[:4096])
    try:
        return codecs.lookup(f"cp{int(match.group(1))}").name if match else "cp1252"
    except LookupError:
        return "cp1252"


def created(rtf: str) -> str | None:
    """The \\creatim date as an ISO date, or None."""
    match = CREATED.search(rtf)
    try:
        return datetime.date(*(int(part) for part in match.groups())).isoformat() if match else None
    except ValueError:
        return None
